import { describe, expect, it } from 'vitest';
import { executionEnvironment, logStreamName } from '../../../sandbox/lambda/context.js';
import { aSpec } from './fixtures/spec.js';

describe('executionEnvironment', () => {
  it("lets Lambda's defined variables win over the function's, and sets no credentials when given none", () => {
    // Prepare
    const spec = aSpec({ environment: { AWS_REGION: 'mars-1', AWS_PROFILE: 'ops', DRY_RUN: 'true' } });

    // Act
    const env = executionEnvironment(spec, { containerId: 'FixtureFunction-1', startedAt: Date.UTC(2030, 1, 3) });

    // Assess
    expect(env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops', DRY_RUN: 'true', LANG: 'en_US.UTF-8' });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^2030\/02\/03\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(Object.keys(env).filter((key) => key.startsWith('AWS_ACCESS') || key === 'AWS_SESSION_TOKEN')).toEqual([]);
  });

  it('keeps a log group the template chose', () => {
    const env = executionEnvironment(aSpec({ environment: { AWS_LAMBDA_LOG_GROUP_NAME: '/custom/group' } }), {
      containerId: 'x',
      startedAt: 0,
    });

    expect(env.AWS_LAMBDA_LOG_GROUP_NAME).toBe('/custom/group');
  });
});

describe('logStreamName', () => {
  it('names each environment deterministically and differently', () => {
    const spec = aSpec();

    expect(logStreamName(spec, 'F-1', 0)).toBe(logStreamName(spec, 'F-1', 0));
    expect(logStreamName(spec, 'F-1', 0)).not.toBe(logStreamName(spec, 'F-2', 0));
  });
});
