// `heddle proxy-status <proxy>` without the proxy's own dump: per xDS type, what the control plane knows of
// what the proxy holds — from its ACKs and NACKs of what was sent.
import type { ProxyStatus, TypeStatus } from '../client/api-types.ts';

const SECTION_OF: Readonly<Record<string, string>> = {
  CDS: 'Clusters',
  LDS: 'Listeners',
  RDS: 'Routes',
  EDS: 'Endpoints',
  SDS: 'Secrets',
};

const ORDER = ['CDS', 'LDS', 'RDS', 'EDS', 'SDS'];

export function syncSummary(status: ProxyStatus): string {
  const types = [...status.types].sort((a, b) => rank(a.type) - rank(b.type));
  return types.map((type) => `${SECTION_OF[type.type] ?? type.type} ${describe(type)}\n`).join('');
}

function describe(type: TypeStatus): string {
  const count = `${type.resources} ${type.resources === 1 ? 'resource' : 'resources'}`;
  switch (type.status) {
    case 'SYNCED':
      return `Match (the proxy acknowledged version ${type.ackedVersion ?? '?'}: ${count})`;
    case 'STALE':
      return `Don't Match (version ${type.sentVersion ?? '?'} sent, not yet acknowledged; ${held(type)})`;
    case 'NACKED': {
      const error = type.lastError;
      return `Don't Match (the proxy refused version ${error?.version ?? type.sentVersion ?? '?'}: ${error?.message ?? 'no reason given'}; ${held(type)})`;
    }
    case 'NOT SENT':
      return 'Not Sent';
  }
}

function held(type: TypeStatus): string {
  return type.ackedVersion !== undefined
    ? `the proxy holds version ${type.ackedVersion}`
    : 'the proxy has accepted no version yet';
}

function rank(type: string): number {
  const index = ORDER.indexOf(type);
  return index < 0 ? ORDER.length : index;
}
