import { luaScript } from '../../redis/lua-script.js';
import type { Redis } from '../../redis/redis-client.js';

/**
 * Everything Redis does to accept one danmaku, in one round trip: the nonce (a repeat
 * returns the first result), the per-account pace, room slow mode, the per-IP window,
 * then the persist stream, the room stream, the id lookup, the state and the nonce's
 * result. Run atomically, so a comment is either refused with nothing written or
 * appended whole. Each Redis round trip costs the server about 70 µs of CPU on
 * loopback; six of them per danmaku were most of what accepting 500 a second cost.
 *
 * KEYS: nonce ('' for none), pace, slow, ip, persist stream, room stream, meta, state
 * ARGV: paceMs, slowMs, ipPoints, ipWindowMs, mode ('append' | 'consume'), danmaku JSON,
 *       state, reasons JSON, room stream maxlen, meta TTL s, nonce TTL s
 * Answers {'dup', result JSON} | {'pace'|'slow'|'ip', ms left} | {'consumed'} | {'ok', seq or ''}.
 */
const SCRIPT = `
if KEYS[1] ~= '' then
  local prev = redis.call('GET', KEYS[1])
  if prev then return {'dup', prev} end
end
if tonumber(ARGV[1]) > 0 then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return {'pace', redis.call('PTTL', KEYS[2])} end
end
if tonumber(ARGV[2]) > 0 then
  if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[2]) then return {'slow', redis.call('PTTL', KEYS[3])} end
end
local used = redis.call('INCR', KEYS[4])
if used == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[4]) end
if used > tonumber(ARGV[3]) then return {'ip', redis.call('PTTL', KEYS[4])} end
if ARGV[5] == 'consume' then return {'consumed'} end
redis.call('XADD', KEYS[5], '*', 'd', ARGV[6], 'state', ARGV[7], 'reasons', ARGV[8])
local seq = ''
if ARGV[7] == 'visible' then seq = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[9], '*', 'd', ARGV[6]) end
redis.call('SET', KEYS[7], ARGV[6], 'EX', ARGV[10])
if ARGV[7] ~= 'visible' then redis.call('SET', KEYS[8], ARGV[7], 'EX', ARGV[10]) end
if KEYS[1] ~= '' then
  local seqJson = 'null'
  if seq ~= '' then seqJson = '"' .. seq .. '"' end
  redis.call('SET', KEYS[1], '{"danmaku":' .. ARGV[6] .. ',"seq":' .. seqJson .. '}', 'EX', ARGV[11])
end
return {'ok', seq}
`;


export type AdmitReply = ['dup', string] | ['pace' | 'slow' | 'ip', number] | ['consumed'] | ['ok', string];

const runAdmit = luaScript<AdmitReply>(SCRIPT);

/** Runs the script by its hash, loading it once when Redis does not know it (after a restart too). */
export function createAdmitScript(redis: Redis) {
  return (keys: string[], args: Array<string | number>): Promise<AdmitReply> => runAdmit(redis, keys, args);
}
