export * from './errors.js';
export * from './auth.js';
export * from './rooms.js';
export * from './events.js';
