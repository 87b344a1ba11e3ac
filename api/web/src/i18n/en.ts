import type { MessageKey } from "./zh-CN";

/** English: exactly zh-CN's keys (a missing or extra key fails the type check). */
export const en: { readonly [K in MessageKey]: string } = {
  "app.name": "PartLedger Console",
  "app.loading": "Loading…",
  "app.retry": "Retry",
  "app.notFound": "This page does not exist",
  "app.notFound.back": "Back to home",
  "app.language": "Language",
  "app.forbidden": "You may not use this page",

  "login.title": "Log in to PartLedger",
  "login.subtitle": "Auto parts provenance and trading",
  "login.identifier": "Mobile or e-mail",
  "login.identifier.required": "Enter your mobile number or e-mail",
  "login.password": "Password",
  "login.password.required": "Enter your password",
  "login.submit": "Log in",
  "login.expired": "Your session has expired; please log in again",

  "user.logout": "Log out",
  "user.menu": "User menu",

  "kind.manufacturer": "Manufacturer",
  "kind.distributor": "Distributor",
  "kind.repair_shop": "Repair shop",
  "kind.platform": "Platform operator",

  "menu.home": "Home",
  "menu.myCompany": "My company",

  "home.welcome": "Welcome, {name}",
  "home.you": "Signed in as",
  "home.company": "Company",
  "home.roles": "Roles",
  "home.quickLinks": "Quick links",
  "home.noLinks": "Nothing available yet",

  "company.title": "My company",
  "company.name": "Name",
  "company.uscc": "Unified social credit code",
  "company.kind": "Kind",
  "company.region": "Region code",
  "company.location": "Location (lng, lat)",
  "company.address": "Chain address",
  "company.custodial": "Chain key",
  "company.custodial.yes": "Held by the platform",
  "company.custodial.no": "Held by the company",
  "company.createdAt": "Registered",

  "scan.placeholder": "Scan, or type and press Enter",
  "scan.camera": "Scan with the camera",
  "scan.camera.title": "Point at the QR code",
  "scan.camera.denied": "Cannot open the camera: {reason}",
  "scan.camera.close": "Close",

  "status.pending": "Pending",
  "status.final": "Final",
  "status.active": "Active",
  "status.disabled": "Disabled",

  "error.generic": "Something went wrong: {detail}",
  "error.network": "Cannot reach the server; check the network",
  "error.AUTH.INVALID_CREDENTIALS": "Wrong login or password",
  "error.AUTH.LOCKED": "Too many failed logins: this login is locked for a while",
  "error.AUTH.REQUIRED": "Please log in",
  "error.AUTH.SESSION_EXPIRED": "Your session has expired; please log in again",
  "error.AUTH.USER_DISABLED": "This account is disabled",
  "error.AUTH.FORBIDDEN": "You may not do this",
  "error.RATE.LIMITED": "Too many requests; try again shortly",
  "error.REQUEST.INVALID": "Invalid input: {detail}",
};
