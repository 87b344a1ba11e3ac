/**
 * A self-registered company's application (入驻审核, DECISIONS 98) as a declared table: each allowed change and who
 * makes it. A platform reviewer approves a submitted application first (a two-person request is filed) or refuses it;
 * a second, different reviewer approves it (the company then trades) or refuses it; the first reviewer may withdraw
 * their approval (back to submitted); the applicant resubmits a refused application.
 */
export const APPLICATION_STATUSES = ["submitted", "first_approved", "approved", "refused"] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export type ApplicationSide = "reviewer" | "second_reviewer" | "first_reviewer" | "applicant";

export const APPLICATION_TRANSITIONS: Record<ApplicationStatus, Partial<Record<ApplicationStatus, ApplicationSide>>> = {
  submitted: { first_approved: "reviewer", refused: "reviewer" },
  first_approved: { approved: "second_reviewer", refused: "second_reviewer", submitted: "first_reviewer" },
  approved: {},
  refused: { submitted: "applicant" },
};

/** Who may move an application from `from` to `to`, or null when the table has no such change. */
export const applicationSideFor = (from: ApplicationStatus, to: ApplicationStatus): ApplicationSide | null =>
  APPLICATION_TRANSITIONS[from][to] ?? null;
