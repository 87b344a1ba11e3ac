/** State the root hooks set up for every test file. */
export const shared: { chainUrl: string } = { chainUrl: "" };
