export * from './bookings.ts';
export * from './hosts.ts';
export * from './jobs.ts';
export * from './listings.ts';
export * from './messaging.ts';
export * from './principals.ts';
