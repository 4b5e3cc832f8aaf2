import { postToProvider } from '#lib/notify/http-provider';
import { writeToOutbox } from '#lib/notify/outbox';
import { config } from '#lib/platform/config';

export interface Sms {
  /** E.164, like +2348012345678. */
  to: string;
  text: string;
}

/**
 * Sends through Termii, a Nigerian SMS gateway with direct routes to the local networks
 * (and DND-route delivery for OTPs). Without a provider, the message goes to the outbox.
 */
export async function sendSms(sms: Sms): Promise<void> {
  if (config.SMS_PROVIDER === 'outbox') {
    await writeToOutbox({ channel: 'sms', to: sms.to, text: sms.text });
    return;
  }
  await postToProvider('Termii', `${config.TERMII_URL}/api/sms/send`, {
    api_key: config.TERMII_API_KEY,
    from: config.TERMII_SENDER_ID,
    to: sms.to.replace(/^\+/, ''),
    sms: sms.text,
    type: 'plain',
    channel: 'dnd',
  });
}
