// cdot-triage background (Chrome: service worker; Firefox: event page, see scripts/build.mjs).
// Glue only. Until the popup exists, the toolbar button opens the support handbook page on
// the problem this extension diagnoses.
const api = globalThis.browser ?? globalThis.chrome;
const HANDBOOK =
  'https://handbook.gitlab.com/handbook/support/license-and-renewals/workflows/customersdot/customerdot_account/';

api.action.onClicked.addListener(() => {
  api.tabs.create({ url: HANDBOOK });
});
