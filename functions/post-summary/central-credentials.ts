// Side bundle of post-summary (shared/side-bundle.ts): the STS client of central mode, loaded on the
// first call into a member account. Listed in the function's EntryPoints in template.yaml.
export { memberCredentialsFor } from '../../shared/accounts/central-credentials.js';
