import { builder } from './builder.ts';
import './scalars.ts';
import './platform.ts';
import './viewer.ts';
import './integration.ts';
import './sync-job.ts';
import './event-log.ts';
import './product.ts';
import './product-mapping.ts';
import './order.ts';
import './sync-conflict.ts';
import './webhook.ts';

export const schema = builder.toSchema({ sortSchema: true });
