import type { Environment } from '../http/base-urls.ts';

/** Allegro REST API servers (spec: `https://api.{environment}`). */
export const allegroProduction: Environment = { api: 'https://api.allegro.pl' };
export const allegroSandbox: Environment = { api: 'https://api.allegro.pl.allegrosandbox.pl' };

export const allegroEnvironments: readonly Environment[] = [allegroProduction, allegroSandbox];
