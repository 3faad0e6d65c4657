import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/platform/config/env";

interface Mail {
  to: string;
  subject: string;
  text: string;
}

// One transport per process, made on the first mail (it pools nothing; each mail is one SMTP
// session). nodemailer's own logging stays off: a message body holds a reset link.
let transport: { url: string; transporter: Transporter } | undefined;
function transporter(url: string): Transporter {
  if (transport?.url !== url) {
    transport = { url, transporter: nodemailer.createTransport(url, { from: env().MAIL_FROM }) };
  }
  return transport.transporter;
}

/** Whether outgoing mail is set up (SMTP_URL); without it, reset links are issued by owners. */
export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

/** Sends one plain-text mail from MAIL_FROM. Throws when mail is not configured or SMTP fails. */
export async function sendMail(mail: Mail): Promise<void> {
  const url = env().SMTP_URL;
  if (!url) throw new Error("mail is not configured (SMTP_URL is unset)");
  await transporter(url).sendMail({
    from: env().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
  });
}
