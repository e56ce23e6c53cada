/** Personal socket room of an account: its own notifications (proposal status, appeal answers). */
export const userChannel = (userId: string) => `user:${userId}`;

/** Every staff socket is in it: the review queue updates live here. Fans never join it. */
export const MODERATION_CHANNEL = 'staff:moderation';
