/** Entry of a parse worker thread (started by pool.ts): parses and reduces messages. */
import { parseForDigest } from './item.ts';
import { serve } from './protocol.ts';

serve(parseForDigest);
