#pragma once
// call::VoiceControl — the voice channel of the contact layer: contact::Control
// carried out on the B2BUA's calls (the contact id is the B2BUA's call id). Prompts
// are turned into audio by `resolve` (files and TTS, off the SIP thread) and played
// by the relay; a play, hold or stop_playing replaces whatever is still being
// fetched for the call, so late audio never lands on a call that has moved on (an
// agent answered, the caller asked to be called back). Holding without music, or
// with music that cannot be read, is ringback.
//
// Why here: contact/ is channel-neutral and below call/; the channel implements
// its interface, so this adapter includes contact/ and call/ and nothing above.
// The B2BUA's events about these calls reach contact::Contacts through the call's
// application (ivr::CallRunner); only on_play_failed comes from here.
//
// Single-threaded: runs on the SIP thread; `resolve` may answer on any thread and is
// posted back through `loop`.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "call/b2bua.h"
#include "contact/control.h"
#include "core/event_loop.h"
#include "media/prompt.h"
#include "media/tones.h"

namespace unicc::call {

struct VoiceControlParts {
  core::EventLoop& loop;  // the SIP thread's
  // Turns prompts into audio; answers once, on any thread, with every prompt or with
  // the error of the first one that cannot be had.
  std::function<void(const contact::Prompts& prompts,
                     std::function<void(std::vector<media::Prompt> audio, std::string error)> done)>
      resolve;
  // A play() whose prompts could not be had (contact::Contacts::on_play_failed).
  std::function<void(contact::ContactId contact, std::uint64_t play_id)> play_failed;
  media::ToneRegion tone_region = media::ToneRegion::kChina;
};

class VoiceControl final : public contact::Control {
 public:
  explicit VoiceControl(VoiceControlParts parts);
  ~VoiceControl() override;
  VoiceControl(const VoiceControl&) = delete;
  VoiceControl& operator=(const VoiceControl&) = delete;

  // The B2BUA whose calls this controls; before any call arrives.
  void attach(B2bua& calls) { calls_ = &calls; }

  void play(contact::ContactId contact, const contact::Prompts& prompts, std::uint64_t play_id,
            bool then_tone) override;
  void hold(contact::ContactId contact, const contact::Prompts& music) override;
  void stop_playing(contact::ContactId contact) override;
  void record(contact::ContactId contact, const std::string& path, std::chrono::milliseconds max_length) override;
  void stop_recording(contact::ContactId contact) override;
  int connect(contact::ContactId contact, const std::string& to, const std::string& shown_as,
              bool auto_answer) override;
  void cancel_connect(contact::ContactId contact) override;
  void hang_up(contact::ContactId contact) override;
  contact::ContactId originate(const std::string& to, const std::string& caller, const std::string& caller_name,
                               int& code) override;
  void hold_bridged(contact::ContactId contact, const contact::Prompts& music) override;
  void resume_bridged(contact::ContactId contact) override;
  void release_bridged(contact::ContactId contact) override;
  int transfer_bridged(contact::ContactId contact, const std::string& to) override;
  void send_digits(contact::ContactId contact, const std::string& digits) override;
  bool join_bridged(contact::ContactId contact, contact::ContactId guest, bool with_customer) override;
  void unjoin_bridged(contact::ContactId contact) override;
  bool hand_over_bridged(contact::ContactId contact, contact::ContactId guest) override;
  bool monitor_bridged(contact::ContactId contact, contact::ContactId supervisor, contact::MonitorMode mode) override;
  void unmonitor_bridged(contact::ContactId contact) override;
  int check_dial(const std::string& to, const std::string& extension) override;
  contact::ContactId ring_agent(const std::string& extension, const std::string& shown, bool auto_answer,
                                std::string& session_id, int& code) override;
  int dial(contact::ContactId agent_session, const std::string& to, const std::string& shown_as,
           const std::string& extension) override;

 private:
  using Audio = std::vector<media::Prompt>;
  // Fetches `prompts`, then runs `play(audio, error)` on the SIP thread unless a newer
  // command about the call came first.
  void fetch(contact::ContactId contact, const contact::Prompts& prompts,
             std::function<void(VoiceControl& self, Audio audio, const std::string& error)> play);

  VoiceControlParts parts_;
  B2bua* calls_ = nullptr;
  // The latest fetch of each call still waiting for its audio.
  std::map<contact::ContactId, std::uint64_t> fetching_;
  std::uint64_t next_fetch_ = 0;
  // Answers from other threads find nothing once the adapter is gone.
  std::shared_ptr<VoiceControl*> alive_;
};

}  // namespace unicc::call
