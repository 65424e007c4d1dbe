// Side bundle of start-copy-job (shared/side-bundle.ts): the SSM client, loaded only when the copy
// rules come from COPY_RULES_PARAMETER. Listed in the function's EntryPoints in template.yaml.
import { SSMClient } from '@aws-sdk/client-ssm';
import { SDK_RETRY } from '../../shared/clients.js';
import { readParameterText } from '../../shared/parameter-text.js';

let ssm: SSMClient | undefined;

/** The copy rules parameter's text, read with the function's own SSM client (toolkit retry settings). */
export function readRulesParameterText(name: string): Promise<string | undefined> {
  ssm ??= new SSMClient({ ...SDK_RETRY });
  return readParameterText(ssm, name);
}
