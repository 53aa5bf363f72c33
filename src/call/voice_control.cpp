#include "call/voice_control.h"

#include <spdlog/spdlog.h>

namespace unicc::call {
namespace {

// The hold music's play id, beside contact::Contacts' own (the top of the range).
constexpr std::uint64_t kHoldPlay = ~std::uint64_t{0} - 1;

}  // namespace

VoiceControl::VoiceControl(VoiceControlParts parts)
    : parts_(std::move(parts)), alive_(std::make_shared<VoiceControl*>(this)) {}

VoiceControl::~VoiceControl() { *alive_ = nullptr; }

void VoiceControl::fetch(contact::ContactId contact, const contact::Prompts& prompts,
                         std::function<void(VoiceControl& self, Audio audio, const std::string& error)> play) {
  const std::uint64_t ticket = ++next_fetch_;
  fetching_[contact] = ticket;
  parts_.resolve(prompts, [alive = alive_, loop = &parts_.loop, contact, ticket, play = std::move(play)](
                              Audio audio, std::string error) {
    loop->post([alive, contact, ticket, play, audio = std::move(audio), error = std::move(error)]() mutable {
      VoiceControl* self = *alive;
      if (!self) return;
      auto latest = self->fetching_.find(contact);
      if (latest == self->fetching_.end() || latest->second != ticket) return;
      self->fetching_.erase(latest);
      play(*self, std::move(audio), error);
    });
  });
}

void VoiceControl::play(contact::ContactId contact, const contact::Prompts& prompts, std::uint64_t play_id,
                        bool then_tone) {
  fetch(contact, prompts, [contact, play_id, then_tone](VoiceControl& self, Audio audio, const std::string& error) {
    if (!error.empty()) {
      spdlog::error("call {}: prompt not played: {}", contact, error);
      return self.parts_.play_failed(contact, play_id);
    }
    if (then_tone) audio.push_back(media::beep());
    self.calls_->play(contact, std::move(audio), false, false, play_id);
  });
}

// A queue's music plays from memory once read; until then the caller hears silence.
void VoiceControl::hold(contact::ContactId contact, const contact::Prompts& music) {
  if (music.empty()) {
    fetching_.erase(contact);
    return calls_->play(contact, {media::ringback(parts_.tone_region)}, true, false, kHoldPlay);
  }
  fetch(contact, music, [contact](VoiceControl& self, Audio audio, const std::string& error) {
    if (!error.empty()) {
      spdlog::error("call {}: hold music: {}", contact, error);
      audio = {media::ringback(self.parts_.tone_region)};
    }
    self.calls_->play(contact, std::move(audio), true, false, kHoldPlay);
  });
}

void VoiceControl::stop_playing(contact::ContactId contact) {
  fetching_.erase(contact);
  calls_->stop_playing(contact);
}

void VoiceControl::record(contact::ContactId contact, const std::string& path, std::chrono::milliseconds max_length) {
  calls_->record(contact, path, max_length);
}

void VoiceControl::stop_recording(contact::ContactId contact) { calls_->stop_recording(contact); }

int VoiceControl::connect(contact::ContactId contact, const std::string& to, const std::string& shown_as,
                          bool auto_answer) {
  return calls_->connect(contact, to, shown_as, auto_answer);
}

void VoiceControl::cancel_connect(contact::ContactId contact) { calls_->cancel_connect(contact); }

void VoiceControl::hang_up(contact::ContactId contact) {
  fetching_.erase(contact);
  calls_->hang_up(contact);
}

contact::ContactId VoiceControl::originate(const std::string& to, const std::string& caller,
                                           const std::string& caller_name, int& code) {
  return calls_->originate(to, caller, caller_name, code);
}

void VoiceControl::hold_bridged(contact::ContactId contact, const contact::Prompts& music) {
  calls_->isolate_caller(contact, true);
  hold(contact, music);
}

void VoiceControl::resume_bridged(contact::ContactId contact) {
  stop_playing(contact);
  calls_->isolate_caller(contact, false);
}

void VoiceControl::release_bridged(contact::ContactId contact) {
  stop_playing(contact);
  calls_->release_connected(contact);
}

int VoiceControl::transfer_bridged(contact::ContactId contact, const std::string& to) {
  return calls_->transfer_connected(contact, to);
}

void VoiceControl::send_digits(contact::ContactId contact, const std::string& digits) {
  calls_->send_digits(contact, digits);
}

bool VoiceControl::join_bridged(contact::ContactId contact, contact::ContactId guest, bool with_customer) {
  return calls_->conference(contact, guest, with_customer);
}

void VoiceControl::unjoin_bridged(contact::ContactId contact) { calls_->end_conference(contact); }

bool VoiceControl::hand_over_bridged(contact::ContactId contact, contact::ContactId guest) {
  return calls_->hand_over(contact, guest);
}

bool VoiceControl::monitor_bridged(contact::ContactId contact, contact::ContactId supervisor,
                                   contact::MonitorMode mode) {
  return calls_->monitor(contact, supervisor, mode);
}

void VoiceControl::unmonitor_bridged(contact::ContactId contact) { calls_->end_monitor(contact); }

// Click-to-dial: the number as the agent's own phone would dial it, and counted for
// their extension by the OutboundGuard (its international and premium lists name
// extensions), not for the IVR.
int VoiceControl::check_dial(const std::string& to, const std::string& extension) {
  return calls_->check_connect(to, extension);
}

contact::ContactId VoiceControl::ring_agent(const std::string& extension, const std::string& shown, bool auto_answer,
                                            std::string& session_id, int& code) {
  const contact::ContactId id = calls_->originate(extension, shown, "", code, auto_answer);
  session_id = id == 0 ? "" : calls_->call_id_of(id);
  return id;
}

int VoiceControl::dial(contact::ContactId agent_session, const std::string& to, const std::string& shown_as,
                       const std::string& extension) {
  return calls_->connect(agent_session, to, shown_as, false, extension);
}

}  // namespace unicc::call
