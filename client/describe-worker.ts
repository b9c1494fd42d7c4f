/** Turns a worker identity into words: "local worker (pid 4242)" or "Lambda (request 1a2b3c4d)". */

export function describeWorker(identity: string | undefined): string {
  if (!identity) return 'unknown worker';
  const at = identity.indexOf('@');
  const who = at >= 0 ? identity.slice(0, at) : identity;
  const where = at >= 0 ? identity.slice(at + 1) : '';
  if (where.startsWith('arn:aws:lambda:')) return `Lambda (request ${who.slice(0, 8)})`;
  if (/^\d+$/.test(who)) return `local worker (pid ${who})`;
  return identity;
}

export function isLambdaIdentity(identity: string | undefined): boolean {
  return Boolean(identity?.includes('@arn:aws:lambda:'));
}
