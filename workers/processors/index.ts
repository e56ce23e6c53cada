import type { ProcessorSpec } from '../processor.js';
import { maintenance } from './maintenance.js';
import { polls } from './polls.js';
import { proposalModeration, proposalScoring } from './proposals.js';

/** Every queue the workers process serves: one processor per queue. */
export const processors: ProcessorSpec[] = [maintenance, polls, proposalModeration, proposalScoring];
