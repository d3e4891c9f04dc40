// The suite's five CLIs: the name each answers to and its folder under apps/.
export const CLIS = [
  { name: 'digest', dir: 'carole-digest' },
  { name: 'lead-responder', dir: 'gmb-lead-responder' },
  { name: 'farm', dir: 'farm' },
  { name: 'cost', dir: 'cost' },
  { name: 'mailbox', dir: 'mailbox' },
] as const;
