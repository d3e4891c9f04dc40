/**
 * The repos.env keys of `cost check --notify` (and nothing else of this app reads repos.env).
 * The SMTP_* keys are the ones every job that sends mail uses; COST_ALERT_* are this job's own.
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** repos.env keys for the budget notice. */
export const notifySchema = z
  .object({
    /** The SMTP server's host name. */
    SMTP_HOST: z.string().min(1),
    /** Default 587 (465 when SMTP_SECURE=true). */
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** Implicit TLS (port 465). Default: true when SMTP_PORT is 465. */
    SMTP_SECURE: bool.optional(),
    /** Refuse to send without STARTTLS. Default true; only a loopback test server sets false. */
    SMTP_REQUIRE_TLS: bool.optional(),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    /** Who gets the notice (the owner). */
    COST_ALERT_TO: z.email(),
    /** Its sender. Default: COST_ALERT_TO. */
    COST_ALERT_FROM: z.email().optional(),
  })
  .refine((v) => (v.SMTP_USER === undefined) === (v.SMTP_PASSWORD === undefined), {
    message: 'SMTP_USER and SMTP_PASSWORD go together: set both or neither',
    path: ['SMTP_PASSWORD'],
  });

/** The parsed keys. */
export type NotifyConfig = z.output<typeof notifySchema>;
