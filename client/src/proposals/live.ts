import { useEffect, useRef } from 'preact/hooks';
import { io } from 'socket.io-client';
import type { Proposal } from '../../../contracts/proposals.js';

/**
 * Live `proposal:update` events over Socket.IO on this origin while `active`:
 * the server sends every status change of the caller's own proposals to their
 * personal channel (the session cookie identifies them). `onConnect` runs each
 * time the link is up (the first time too): changes made before it was, while
 * the caller's first load was in flight or the link was down, are only caught
 * by reloading then.
 */
export function useProposalUpdates(active: boolean, onUpdate: (proposal: Proposal) => void, onConnect?: () => void): void {
  const handlers = useRef({ onUpdate, onConnect });
  handlers.current = { onUpdate, onConnect };

  useEffect(() => {
    if (!active) return;
    const socket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
    socket.on('connect', () => handlers.current.onConnect?.());
    socket.on('proposal:update', (payload: { proposal?: Proposal }) => {
      if (payload?.proposal?.id) handlers.current.onUpdate(payload.proposal);
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [active]);
}
