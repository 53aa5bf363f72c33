#pragma once
// contact::Prompt — something a customer is told, in channel-neutral terms: a
// recording (`file`), or `text` that a voice channel reads with TTS in `voice` or
// `language` and a text channel sends as it is. IVR flows use the same type for
// their prompts (ivr::Prompt), so a flow's words reach any channel. A plain value.
#include <string>
#include <vector>

namespace unicc::contact {

struct Prompt {
  std::string file;
  std::string text;
  std::string voice;
  std::string language;
};
using Prompts = std::vector<Prompt>;

}  // namespace unicc::contact
