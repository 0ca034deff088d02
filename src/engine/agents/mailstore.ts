/**
 * Local mailboxes on one host (/var/mail/USER). The MDA adds `Return-Path:` with the
 * envelope sender (RFC 5321 §4.4) and `Delivered-To:` at final delivery.
 */
import { text } from '../bytes';

export interface StoredMessage {
  queueId: string;
  /** Envelope sender as received ('' for the null reverse path). */
  from: string;
  /** The envelope recipient this copy was delivered for. */
  to: string;
  deliveredAt: number;
  /** Full message text as stored, CRLF line endings. */
  raw: string;
}

export class Mailstore {
  private boxes = new Map<string, StoredMessage[]>();

  constructor(
    readonly host: string,
    users: readonly string[],
  ) {
    for (const user of users) this.boxes.set(user, []);
  }

  hasUser(user: string): boolean {
    return this.boxes.has(user);
  }

  users(): string[] {
    return [...this.boxes.keys()];
  }

  messages(user: string): readonly StoredMessage[] {
    return this.boxes.get(user) ?? [];
  }

  deliver(user: string, message: Omit<StoredMessage, 'raw'>, content: Uint8Array): StoredMessage {
    const box = this.boxes.get(user);
    if (!box) throw new Error(`no mailbox for ${user} on ${this.host}`);
    const raw = `Return-Path: <${message.from}>\r\nDelivered-To: ${message.to}\r\n${text(content)}`;
    const stored = { ...message, raw };
    box.push(stored);
    return stored;
  }

  /**
   * Take `message` out of `user`'s mailbox (a mail reader's delete, committed on quit).
   * The box becomes a new array, so views holding the old one see the change. Returns
   * false when the message is not (or no longer) there.
   */
  remove(user: string, message: StoredMessage): boolean {
    const box = this.boxes.get(user);
    if (!box || !box.includes(message)) return false;
    this.boxes.set(
      user,
      box.filter((m) => m !== message),
    );
    return true;
  }
}
