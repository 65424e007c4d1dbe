import { describe, expect, it } from 'vitest';
import { loadBackupModel } from '../../../sandbox/backup/model.js';
import { compileRoute, compileRoutes, matchRoute } from '../../../sandbox/backup/routes.js';

const model = loadBackupModel();
const routes = compileRoutes(model);

// Fills a requestUri template the way the SDK does: plain labels percent-encoded ("/" too), greedy ones keep "/".
const fill = (requestUri: string, value: string) => {
  const [path = '', query] = requestUri.split('?', 2);
  const filled = path.replace(/\{([^}]+)\}/g, (_, label: string) =>
    label.endsWith('+') ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value),
  );
  return { path: filled, search: new URLSearchParams(query ?? '') };
};

describe('routes from the model', () => {
  it('has one route per operation of the model (108)', () => {
    expect(routes).toHaveLength(108);
    expect(new Set(routes.map((r) => r.operation)).size).toBe(108);
  });

  it.each(model.operationNames)('%s: its own requestUri routes to it, with and without a trailing slash', (name) => {
    // Prepare
    const { method, requestUri } = model.operation(name).http;
    const { path, search } = fill(requestUri, 'a/b c%');
    const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
    // Act
    const matched = matchRoute(routes, method, path, search);
    const lenient = matchRoute(routes, method, other, search);
    // Assess
    expect(matched?.operation).toBe(name);
    expect(lenient?.operation).toBe(name);
    for (const value of Object.values(matched?.labels ?? {})) expect(value).toBe('a/b c%');
  });

  it('tells two operations on one path apart by method and by the literal query part', () => {
    // Prepare
    const path = '/backup-vaults/v1/mpaApprovalTeam';
    // Act
    const associate = matchRoute(routes, 'PUT', path, new URLSearchParams());
    const disassociate = matchRoute(routes, 'POST', path, new URLSearchParams('delete'));
    const neither = matchRoute(routes, 'POST', path, new URLSearchParams());
    // Assess
    expect(associate?.operation).toBe('AssociateBackupVaultMpaApprovalTeam');
    expect(disassociate).toMatchObject({
      operation: 'DisassociateBackupVaultMpaApprovalTeam',
      labels: { backupVaultName: 'v1' },
    });
    expect(disassociate?.literalQuery).toEqual(new Set(['delete']));
    expect(neither).toBeUndefined();
  });

  it('prefers a literal segment over a label in the same place', () => {
    // Prepare
    const specific = compileRoute('Literal', 'GET', '/plans/template');
    const general = compileRoute('Label', 'GET', '/plans/{id}');
    const sorted = [general, specific].sort((a, b) => b.specificity - a.specificity);
    // Act
    const hit = matchRoute(sorted, 'GET', '/plans/template', new URLSearchParams());
    const label = matchRoute(sorted, 'GET', '/plans/other', new URLSearchParams());
    // Assess
    expect(hit?.operation).toBe('Literal');
    expect(label).toMatchObject({ operation: 'Label', labels: { id: 'other' } });
  });

  it('a greedy label spans segments; a plain one does not', () => {
    // Prepare
    const greedy = [compileRoute('Greedy', 'GET', '/objects/{Key+}')];
    const plain = [compileRoute('Plain', 'GET', '/objects/{Key}')];
    // Act, Assess
    expect(matchRoute(greedy, 'GET', '/objects/a/b%20c', new URLSearchParams())?.labels).toEqual({ Key: 'a/b c' });
    expect(matchRoute(plain, 'GET', '/objects/a/b', new URLSearchParams())).toBeUndefined();
  });

  it('finds nothing for an unknown path, a wrong method, or a label that is not valid percent-encoding', () => {
    expect(matchRoute(routes, 'GET', '/no-such-path', new URLSearchParams())).toBeUndefined();
    expect(matchRoute(routes, 'PATCH', '/backup-jobs', new URLSearchParams())).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/backup-jobs/%E0%A4%A', new URLSearchParams())).toBeUndefined();
  });
});
