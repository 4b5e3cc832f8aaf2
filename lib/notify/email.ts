import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PermanentJobError, retryLater } from '#lib/jobs/errors';
import { writeToOutbox } from '#lib/notify/outbox';
import { config } from '#lib/platform/config';

let ses: SESv2Client | undefined;

export interface Email {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends through Amazon SES (v2 API): in Lambda it needs no secret, only the function's
 * role, and it is billed per message. Without a provider, the message goes to the outbox.
 */
export async function sendEmail(email: Email): Promise<void> {
  if (config.EMAIL_PROVIDER === 'outbox') {
    await writeToOutbox({
      channel: 'email',
      to: email.to,
      subject: email.subject,
      text: email.text,
    });
    return;
  }
  ses ??= new SESv2Client({
    maxAttempts: 1,
    requestHandler: { requestTimeout: config.PROVIDER_TIMEOUT_MS },
    ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}),
  });
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: config.EMAIL_FROM,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    // SES refuses some messages for good (a rejected or malformed address): no retry.
    if (status === 400 && ['MessageRejected', 'BadRequestException'].includes(e.name ?? '')) {
      throw new PermanentJobError(`SES refused the email: ${e.name}`);
    }
    throw retryLater(`SES did not accept the email (${e.name ?? 'error'})`);
  }
}
