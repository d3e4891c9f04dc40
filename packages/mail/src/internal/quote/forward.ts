/**
 * Forward markers. Forwarded content is new to the reader, so the marker and what follows are
 * kept (Gmail, Outlook, Apple Mail, Thunderbird, Zoho, Lotus; in the languages we know).
 */

const NAMES = [
  'Forwarded message', 'Forwarded Message', 'Weitergeleitete Nachricht', 'Message transféré', 'Mensaje reenviado',
  'Mensagem encaminhada', 'Messaggio inoltrato', 'Doorgestuurd bericht', 'Videresendt meddelelse', 'Videresendt besked',
  'Videresendt melding', 'Vidarebefordrat meddelande', 'Välitetty viesti', 'Wiadomość przekazana dalej',
  'Przekazana wiadomość', 'Пересылаемое сообщение', 'Пересланное сообщение', 'Přeposlaná zpráva',
];
const BEGIN = [
  'Begin forwarded message', 'Début du message réexpédié', 'Début du message transféré', 'Anfang der weitergeleiteten Nachricht',
  'Inicio del mensaje reenviado', 'Início da mensagem reencaminhada', 'Inizio messaggio inoltrato', 'Begin doorgestuurd bericht',
  'Start på videresendt besked', 'Start på videresendt melding', 'Vidarebefordrat brev', 'Välitetty viesti alkaa',
  'Początek przekazywanej wiadomości', 'Начало переадресованного сообщения',
];

const FORWARD = new RegExp(
  String.raw`^\s*(?:[-=]{2,}\s*(?:${NAMES.join('|')})\s*[-=]{2,}|(?:${BEGIN.join('|')})\s*:|-{2,}\s*Forwarded by .{0,100}-{2,}|-{2,}\s*begin forwarded text)\s*$`,
  'i',
);

/** True for a forwarded-message marker line. */
export function isForwardMarker(line: string): boolean {
  return FORWARD.test(line);
}
