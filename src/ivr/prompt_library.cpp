#include "ivr/prompt_library.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "media/prompt.h"

namespace unicc::ivr {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExtension = ".wav";
// Shorter audio is a mistake (an empty or truncated upload), not a prompt.
constexpr std::chrono::milliseconds kShortest{100};

std::int64_t modified_ms(const fs::path& path) {
  std::error_code error;
  const auto written = fs::last_write_time(path, error);
  if (error) return 0;
  const auto system = std::chrono::file_clock::to_sys(written);
  return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

// A file name of our own beside the upload, unique across threads and processes.
fs::path scratch_file(const std::string& dir) {
  static std::atomic<std::uint64_t> next{0};
  return fs::path(dir) / (".upload-" + std::to_string(::getpid()) + "-" + std::to_string(next++));
}

}  // namespace

PromptLibrary::PromptLibrary(std::string library_dir, std::string sounds_dir)
    : library_dir_(std::move(library_dir)), sounds_dir_(std::move(sounds_dir)) {}

bool PromptLibrary::valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<LibraryPrompt> PromptLibrary::describe(const std::string& path, const std::string& source) const {
  const auto length = media::audio_length(path);
  if (!length) return std::nullopt;
  std::error_code error;
  const auto bytes = fs::file_size(path, error);
  const std::string file = fs::path(path).filename().string();
  return LibraryPrompt{file.substr(0, file.size() - kExtension.size()), file, source, length->count(),
                       error ? 0 : static_cast<std::int64_t>(bytes), modified_ms(path)};
}

std::vector<LibraryPrompt> PromptLibrary::list() const {
  std::map<std::string, LibraryPrompt> by_name;
  for (const auto& [dir, source] : {std::pair{sounds_dir_, "shipped"}, std::pair{library_dir_, "uploaded"}}) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      const std::string file = entry.path().filename().string();
      if (!entry.is_regular_file() || !file.ends_with(kExtension)) continue;
      if (!valid_name(std::string_view(file).substr(0, file.size() - kExtension.size()))) continue;
      // Uploads come second: one replaces the shipped sound of its name.
      if (auto prompt = describe(entry.path().string(), source)) by_name[prompt->name] = *prompt;
    }
  }
  std::vector<LibraryPrompt> out;
  for (auto& [name, prompt] : by_name) out.push_back(std::move(prompt));
  std::stable_partition(out.begin(), out.end(), [](const LibraryPrompt& p) { return p.source == "uploaded"; });
  return out;
}

std::string PromptLibrary::path(const std::string& name) const {
  if (!valid_name(name)) return "";
  for (const auto& dir : {library_dir_, sounds_dir_}) {
    const fs::path candidate = fs::path(dir) / (name + std::string(kExtension));
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return "";
}

std::optional<LibraryPrompt> PromptLibrary::find(const std::string& name) const {
  const std::string file = path(name);
  if (file.empty()) return std::nullopt;
  return describe(file, fs::path(file).parent_path() == fs::path(library_dir_) ? "uploaded" : "shipped");
}

LibraryPrompt PromptLibrary::store(const std::string& name, std::string_view audio) {
  std::error_code error;
  fs::create_directories(library_dir_, error);
  if (error) throw media::PromptError("the prompt folder " + library_dir_ + " cannot be made: " + error.message());
  const fs::path scratch = scratch_file(library_dir_);
  media::Prompt prompt;
  try {
    {
      std::ofstream out(scratch, std::ios::binary);
      out.write(audio.data(), static_cast<std::streamsize>(audio.size()));
      if (!out) throw media::PromptError("the upload cannot be written to " + library_dir_);
    }
    prompt = media::load_prompt(scratch.string());
  } catch (const media::PromptError& failed) {
    fs::remove(scratch, error);
    // The scratch file's name means nothing to whoever uploaded.
    std::string why = failed.what();
    const std::string ours = "prompt " + scratch.string() + ": ";
    if (why.starts_with(ours)) why = why.substr(ours.size());
    throw media::PromptError("not audio unicc can read: " + why);
  }
  fs::remove(scratch, error);
  if (prompt.duration() < kShortest) throw media::PromptError("the audio is shorter than 0.1 s");
  const std::string target = (fs::path(library_dir_) / (name + std::string(kExtension))).string();
  media::save_prompt(prompt, target);
  auto stored = describe(target, "uploaded");
  if (!stored) throw media::PromptError("the converted prompt cannot be read back from " + target);
  return *stored;
}

bool PromptLibrary::remove(const std::string& name) {
  if (!valid_name(name)) return false;
  std::error_code error;
  return fs::remove(fs::path(library_dir_) / (name + std::string(kExtension)), error);
}

}  // namespace unicc::ivr
