import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celExpressionProblem } from '../../../src/rules/telemetry/cel-expression.ts';

describe('CEL well-formedness check', () => {
  it('accepts well-formed expressions', () => {
    for (const expression of [
      'response.code >= 400',
      "request.headers['x-debug'] == 'true' && response.code != 200",
      'has(request.auth.claims.sub) ? request.auth.claims.sub : "anonymous"',
      '[1, 2, 3].exists(x, x > 2)',
      '{"a": 1}["a"] == 1',
      'r"\\d+(" == "x"',
      '"""multi ( line"""',
      "'it\\'s' == \"it's\"",
      'connection.mtls && !(response.flags == "-")',
    ]) {
      assert.equal(celExpressionProblem(expression), undefined, expression);
    }
  });

  it('rejects empty, unbalanced and unterminated expressions', () => {
    assert.match(celExpressionProblem('   ') ?? '', /empty/);
    assert.match(celExpressionProblem('size(request.path') ?? '', /never closed/);
    assert.match(celExpressionProblem('a[1)') ?? '', /does not match/);
    assert.match(celExpressionProblem('request.path == "/a') ?? '', /string .* never closed/);
    assert.match(celExpressionProblem('response.code = 404') ?? '', /"=="/);
  });
});
