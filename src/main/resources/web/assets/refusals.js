// The protocol's refusal codes in plain words, for the person whose file, message, edit, deletion,
// reaction, block, report or account change was refused. Anything else shows the server's own
// sentence.

const REFUSALS = {
  type_not_allowed: 'this type of file cannot be sent',
  too_large: 'the file is too large (at most 25 MB)',
  upload_not_found: 'the upload was lost; attach the file again',
  upload_mismatch: 'the file changed while it was uploading; attach it again',
  too_many_attachments: 'too many files for one message (at most 10)',
  rate_limited: 'too many uploads for now; try again later',
  network: 'the server cannot be reached',
  store_refused: 'the file store refused the upload; try again',
  not_sender: 'only the sender can change this message',
  edit_window_passed: 'a message can be edited for 48 hours after it was sent',
  message_deleted: 'the message was deleted',
  not_a_message: 'only messages can be changed',
  reaction_not_allowed: 'this server does not take that reaction',
  mention_not_member: 'only members of the group can be mentioned',
  not_found: 'the message is not there any more',
  blocked: 'you cannot send here: one of you blocked the other',
  too_many_blocks: 'you block too many people already (at most 1,000); unblock someone first',
  wrong_password: 'that is not your current password',
  suspended: 'this account is suspended by the moderators',
  unauthorized: 'you are logged out; log in again',
};

export function inPlainWords(error) {
  return REFUSALS[error?.code] || error?.message || 'something went wrong';
}
