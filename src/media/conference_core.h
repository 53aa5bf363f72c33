#pragma once
// Internal to the media module (brings in Boost.Asio): the state a Conference shares
// with the relays whose legs joined it. The mix ticks on one RTP thread; relays put
// their legs' audio in from theirs, under the mutex, and get each tick's frame posted
// back to their own thread through their Deliver function.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "media/conference.h"
#include "media/engine_core.h"
#include "media/mixer.h"

namespace unicc::media {

struct Conference::Core : std::enable_shared_from_this<Conference::Core> {
  // What a joined leg's relay is given: each tick's frame for it (deliver must only
  // post: it runs under the mutex; false when the leg's relay is gone or closing, and
  // the conference forgets it), and the end of the conference (the Conference was
  // destroyed while the leg was in it).
  struct Member {
    std::function<bool(const Mixer::Frame& heard)> deliver;
    std::function<void()> dismissed;
  };

  explicit Core(std::shared_ptr<EngineCore> engine_in);

  Participant join(Member member);
  void leave(Participant participant);
  void put(Participant speaker, std::span<const std::int16_t> samples);
  // No more ticks; every member is dismissed.
  void stop();

  void set_hears(Participant listener, Participant speaker, bool hears);
  bool hears(Participant listener, Participant speaker) const;
  std::size_t participants() const;

 private:
  // On io's thread.
  void start_ticking();
  void wait_for_tick();
  void tick();

  const std::shared_ptr<EngineCore> engine;  // keeps the io_context alive
  boost::asio::io_context& io;
  boost::asio::steady_timer timer;  // touched only on io's thread
  std::chrono::steady_clock::time_point next_tick;

  mutable std::mutex mutex;  // guards what follows
  Mixer mixer;
  std::map<Participant, Member> members;
  Participant next_participant = 1;
  bool ticking = false;
  bool stopped = false;
};

}  // namespace unicc::media
