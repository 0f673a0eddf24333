import { builder } from './builder.ts';
import './platform.ts';

export const schema = builder.toSchema({ sortSchema: true });
