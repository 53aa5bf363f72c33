#include "media/conference.h"

#include <boost/asio/post.hpp>
#include <algorithm>
#include <utility>
#include <vector>

#include "media/conference_core.h"

namespace unicc::media {
namespace {

constexpr auto kFrameInterval = std::chrono::milliseconds(20);
// Starved for longer than this (the thread was busy), the mix resumes from now
// instead of catching up with a burst of frames.
constexpr auto kMaxLag = std::chrono::milliseconds(200);

}  // namespace

Conference::Core::Core(std::shared_ptr<EngineCore> engine_in)
    : engine(std::move(engine_in)), io(engine->next_thread().io), timer(io) {}

Conference::Participant Conference::Core::join(Member member) {
  std::lock_guard lock(mutex);
  const Participant participant = next_participant++;
  mixer.add(participant);
  members.emplace(participant, std::move(member));
  if (!ticking && !stopped) {
    ticking = true;
    boost::asio::post(io, [self = shared_from_this()] { self->start_ticking(); });
  }
  return participant;
}

void Conference::Core::leave(Participant participant) {
  std::lock_guard lock(mutex);
  mixer.remove(participant);
  members.erase(participant);
}

void Conference::Core::put(Participant speaker, std::span<const std::int16_t> samples) {
  std::lock_guard lock(mutex);
  mixer.put(speaker, samples);
}

void Conference::Core::stop() {
  std::map<Participant, Member> dismissed;
  {
    std::lock_guard lock(mutex);
    stopped = true;
    dismissed = std::exchange(members, {});
    for (const auto& [participant, _] : dismissed) mixer.remove(participant);
  }
  for (auto& [_, member] : dismissed) member.dismissed();
}

void Conference::Core::set_hears(Participant listener, Participant speaker, bool hears) {
  std::lock_guard lock(mutex);
  mixer.set_hears(listener, speaker, hears);
}

bool Conference::Core::hears(Participant listener, Participant speaker) const {
  std::lock_guard lock(mutex);
  return mixer.hears(listener, speaker);
}

std::size_t Conference::Core::participants() const {
  std::lock_guard lock(mutex);
  return mixer.size();
}

void Conference::Core::start_ticking() {
  next_tick = std::chrono::steady_clock::now() + kFrameInterval;
  wait_for_tick();
}

void Conference::Core::wait_for_tick() {
  timer.expires_at(next_tick);
  timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->tick();
  });
}

void Conference::Core::tick() {
  {
    std::lock_guard lock(mutex);
    if (stopped || members.empty()) {
      ticking = false;  // a later join starts again
      return;
    }
    // deliver() only posts to the member's relay, so it may run under the lock.
    std::vector<Participant> gone;
    mixer.mix([&](Participant listener, std::span<const std::int16_t> heard) {
      Mixer::Frame frame{};
      std::copy(heard.begin(), heard.end(), frame.begin());
      if (!members.at(listener).deliver(frame)) gone.push_back(listener);
    });
    for (Participant participant : gone) {
      mixer.remove(participant);
      members.erase(participant);
    }
  }
  const auto now = std::chrono::steady_clock::now();
  next_tick += kFrameInterval;
  if (now - next_tick > kMaxLag) next_tick = now + kFrameInterval;
  wait_for_tick();
}

Conference::~Conference() { core_->stop(); }

void Conference::set_hears(Participant listener, Participant speaker, bool hears) {
  core_->set_hears(listener, speaker, hears);
}

bool Conference::hears(Participant listener, Participant speaker) const { return core_->hears(listener, speaker); }

std::size_t Conference::participants() const { return core_->participants(); }

}  // namespace unicc::media
