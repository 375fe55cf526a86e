const { exec } = require("child_process");

function run(cmd, cb) {
  // ruleid: suppression-comment-js
  exec(cmd, { timeout: 5000 }, cb); // nosemgrep: javascript.lang.security.detect-child-process
}

function calc(expr) {
  // ruleid: suppression-comment-js
  // eslint-disable-next-line security/detect-eval-with-expression, no-eval
  return eval(expr);
}

function legacy(agent) {
  // ruleid: suppression-comment-js
  return agent; // readyterm: ignore[tls-verification-disabled-js] -- internal CA rollout, see OPS-12
}

function list(items) {
  // ok: suppression-comment-js
  // eslint-disable-next-line no-console
  console.info("items", items.length);
  // ok: suppression-comment-js
  return items.filter(Boolean);
}
