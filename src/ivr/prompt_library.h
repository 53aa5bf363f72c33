#pragma once
// ivr::PromptLibrary — the prompts and hold music an administrator uploads.
//
// Each is a name (1-64 letters, digits, '_', '-') stored as `NAME.wav` (8 kHz 16-bit
// mono, what calls play) in the library folder (`ivr.prompts_dir`). Whatever audio
// libsndfile reads is converted on upload: WAV in any rate, width or channels, MP3,
// FLAC, Ogg. Flows and queues name a library prompt as a file, `{"file": "NAME.wav"}`
// and `music = "NAME.wav"`: the library is searched before the shipped sounds folder,
// so an upload may also replace a shipped sound. Files are written whole (a temporary
// file, then a rename), so a call never plays half an upload. Thread-safe: the HTTP
// threads call it; it reads and writes only its folder.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unicc::ivr {

struct LibraryPrompt {
  std::string name;      // "welcome"
  std::string file;      // "welcome.wav": what a flow's prompt or a queue's music names
  std::string source;    // "uploaded" (the library) or "shipped" (the sounds folder)
  std::int64_t duration_ms = 0;
  std::int64_t bytes = 0;
  std::int64_t modified_at = 0;  // ms since the epoch
};

class PromptLibrary {
 public:
  PromptLibrary(std::string library_dir, std::string sounds_dir);

  static bool valid_name(std::string_view name);

  // Uploaded prompts, then the shipped .wav sounds no upload replaces, by name.
  std::vector<LibraryPrompt> list() const;
  std::optional<LibraryPrompt> find(const std::string& name) const;
  // The WAV a name plays (the upload, else the shipped sound), "" when none.
  std::string path(const std::string& name) const;

  // Converts `audio` (a file's bytes) and stores it as `name`, replacing an earlier
  // upload. Throws media::PromptError saying why the bytes are not usable audio.
  LibraryPrompt store(const std::string& name, std::string_view audio);
  // Deletes an upload; false when there is none (shipped sounds are not deleted).
  bool remove(const std::string& name);

 private:
  std::optional<LibraryPrompt> describe(const std::string& path, const std::string& source) const;

  const std::string library_dir_;
  const std::string sounds_dir_;
};

}  // namespace unicc::ivr
