/**
 * The fields the shell reads from answers, until the OpenAPI document declares them (DECISIONS 58): Typed<> picks
 * the declared type as soon as it exists, so these fallbacks then stop mattering.
 */
import type { Answer, Typed } from "./client";

export type CompanyKind = "manufacturer" | "distributor" | "repair_shop" | "lender" | "service_provider";
export type TenantKind = CompanyKind | "platform";

export type Me = Typed<
  Answer<"/api/v1/auth/me", "get">,
  {
    type: "user" | "api_key" | "operator";
    id: string;
    companyId: string | null;
    kind: TenantKind;
    roles: string[];
    permissions: string[];
  }
>;

export interface UserView {
  id: string;
  companyId: string | null;
  name: string;
  mobile: string | null;
  email: string | null;
  roles: string[];
  status: string;
  createdAt: string;
}

export type LoginAnswer = Typed<
  Answer<"/api/v1/auth/login", "post">,
  { token: string; tokenType: "Bearer"; expiresAt: string; user: UserView }
>;

export type Company = Typed<
  Answer<"/api/v1/companies/me", "get">,
  {
    id: string;
    name: string;
    uscc: string;
    kind: CompanyKind;
    regionCode: string;
    lng: number;
    lat: number;
    createdAt: string;
    address: string;
    custodial: boolean;
    labelPublicKey: string | null;
  }
>;
