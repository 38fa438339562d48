// `/logging`: GET lists every logger's level; POST `?level=<level>` sets all, `?<logger>=<level>` sets one.
import { LOG_LEVELS, isLogLevel, type LogRegistry } from './logger.ts';
import { textReply, type AdminEndpoint, type AdminResponse } from './admin-endpoint.ts';

export function loggingEndpoint(logs: LogRegistry): AdminEndpoint {
  const list = (): string =>
    `active loggers:\n${Object.entries(logs.levels())
      .map(([name, level]) => `  ${name}: ${level}`)
      .join('\n')}`;
  const usage = (problem: string): AdminResponse =>
    textReply(
      `${problem}\nusage: POST /logging?level=<level> or /logging?<logger>=<level>, level one of ${LOG_LEVELS.join(', ')}\n${list()}`,
      400,
    );
  return {
    path: '/logging',
    help: 'query (GET) or change (POST ?level=, ?<logger>=) logging levels',
    methods: ['GET', 'POST'],
    handle: ({ method, query }) => {
      const entries = [...query.entries()];
      if (method === 'GET') {
        if (entries.length > 0) return textReply('changing log levels takes POST', 405);
        return textReply(list());
      }
      if (entries.length !== 1) return usage('give exactly one of level=<level> or <logger>=<level>');
      const [[name, level] = ['', '']] = entries;
      if (!isLogLevel(level)) return usage(`unknown level "${level}"`);
      if (!logs.setLevel(level, name === 'level' ? undefined : name))
        return usage(`unknown logger "${name}"`);
      return textReply(list());
    },
  };
}
