import type { ProfileName } from './target.js';

export const PROFILES: ProfileName[] = ['baseline', 'strict'];
