import type { Room } from '../../../contracts/rooms.js';
import type { StaffLink } from './live-link.js';

/** The console's sections, in sidebar order; the first is the landing tab. */
export const consoleTabs = ['overview', 'queue', 'live', 'rules', 'audit', 'appeals'] as const;
export type ConsoleTab = (typeof consoleTabs)[number];

/** The console's address: #/staff?tab=live&room=<id>; the room sticks across tabs. */
export function consolePath(tab: ConsoleTab, roomId?: string): string {
  const q = new URLSearchParams({ tab });
  if (roomId) q.set('room', roomId);
  return `/staff?${q}`;
}

/** What every tab receives: the realtime link, the rooms, the chosen room. */
export interface TabProps {
  link: StaffLink;
  rooms: Room[];
  roomId: string;
  setRoom: (roomId: string) => void;
}

