#pragma once
// call::VoicemailStore — the messages callers leave in mailboxes. The IVR records
// one through the async writer when a recording ends (never blocking the SIP
// thread); the API reads, marks and removes them synchronously on its own threads,
// after the writes queued before.
//
// The audio is a WAV file at Voicemail::path (under media.recordings_dir/voicemail),
// written by the media layer; remove() deletes the row and that file. Lists are
// newest first (created_at, then id).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/async_writer.h"

namespace unicc::call {

struct Voicemail {
  std::int64_t id = 0;
  std::string mailbox;       // whose mailbox: an extension or a queue name
  std::string caller;        // From user
  std::string caller_name;   // From display name
  std::string call_id;       // the caller's SIP Call-ID, to find the CDR
  std::int64_t created_at = 0;   // ms since epoch
  std::int64_t duration_ms = 0;
  std::string path;
  bool heard = false;
};

struct VoicemailFilter {
  std::string mailbox;          // "" = every mailbox
  std::optional<bool> heard;    // unset = heard and new
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class VoicemailStore {
 public:
  VoicemailStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

  // Queues the row (`id` and `heard` are ignored); false when the writer refused it
  // (queue full or stopped; counted by the writer).
  bool record(const Voicemail& voicemail);
  std::vector<Voicemail> find(const VoicemailFilter& filter);
  std::int64_t count(const VoicemailFilter& filter);
  std::optional<Voicemail> get(std::int64_t id);
  // False when there is no such message.
  bool mark_heard(std::int64_t id);
  // Deletes the row, then its file (a file already gone is not an error; one that
  // cannot be deleted is logged). False when there is no such message.
  bool remove(std::int64_t id);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::call
