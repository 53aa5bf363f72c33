#pragma once
// acd::Wallboard — today's figures per queue and per agent, for wall screens and the
// agents' desktops, kept up event by event (never by scanning the day's calls).
//
// Fed with what the router's observer reports (QueueCallEvent, AgentView); every
// method locks, so the router's thread feeds it while HTTP threads read it. The day
// is the local calendar day of the process's time zone: the first look after local
// midnight zeroes the day's counts (callers waiting stay).
// Service level = answered within the queue's threshold / (answered + abandoned
// after the threshold); calls abandoned within it count for neither. ASA = total
// wait of the answered calls / answered. A wait is the caller's from first entering
// the ACD, so a call that overflows brings its wait along. An agent's "handled" is
// the calls they answered today.
// take_changes() names the queues and agents changed since it was last called, so
// a feed pushes only those.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "acd/agent_view.h"
#include "core/clock.h"

namespace unicc::acd {

// When a queue's tile turns red; 0 = no such alert.
struct QueueAlerts {
  std::int64_t service_level_s = 20;     // the service level's threshold (not an alert)
  std::int64_t longest_wait_s = 0;       // someone has waited longer than this
  std::int64_t waiting = 0;              // more callers than this are waiting
  std::int64_t service_level_pct = 0;    // the day's service level fell below this
};

struct WallboardQueue {
  std::string name;
  QueueAlerts alerts;
  std::int64_t waiting = 0;
  std::int64_t oldest_since_ms = 0;  // when the longest-waiting caller entered; 0 for none
  std::int64_t answered = 0;
  std::int64_t abandoned = 0;
  std::int64_t answered_in_service_level = 0;
  std::int64_t abandoned_after_service_level = 0;
  std::int64_t answer_wait_ms = 0;  // total, of the answered calls
  std::int64_t closed = 0;  // calls that reached the queue outside its calendar's hours
  // The agents serving the queue, by state (reserved: an offer rings them).
  std::int64_t ready = 0, reserved = 0, on_call = 0, wrap_up = 0, not_ready = 0;
  std::map<std::string, std::int64_t> not_ready_reasons;

  std::optional<double> service_level() const;  // 0..1; none before the first counted call
  std::optional<std::int64_t> asa_ms() const;
  // The alerts that hold at `now_ms`: "longest_wait", "waiting", "service_level".
  std::vector<std::string> alerting(std::int64_t now_ms) const;
};

struct WallboardAgent {
  AgentView agent;
  std::int64_t handled = 0;
};

struct WallboardChanges {
  std::set<std::string> queues;
  std::set<std::string> agents;  // extensions
  bool empty() const { return queues.empty() && agents.empty(); }
};

class Wallboard {
 public:
  explicit Wallboard(const core::Clock& clock);

  // Queues as configured; one not set here is not shown.
  void set_queue(const std::string& name, const QueueAlerts& alerts);
  void remove_queue(const std::string& name);
  void on_queue_event(const QueueCallEvent& event);
  // Agents carry their queues (AgentView::queues); logged-out agents stay listed.
  void on_agent(const AgentView& agent);
  void remove_agent(const std::string& extension);

  std::vector<WallboardQueue> queues();
  std::vector<WallboardAgent> agents();
  // The named ones only (missing names are skipped), for a feed's update.
  std::vector<WallboardQueue> queues(const std::set<std::string>& names);
  std::vector<WallboardAgent> agents(const std::set<std::string>& extensions);
  WallboardChanges take_changes();

  // Local midnight at or before `ms`, in ms since the epoch.
  static std::int64_t day_start_ms(std::int64_t ms);

 private:
  struct Queue {
    WallboardQueue figures;
    std::map<std::uint64_t, std::int64_t> waiting;  // call -> waiting since
  };
  void roll_day();  // with mutex_ held
  // The queues' figures with their agents counted, in one pass over the agents.
  std::vector<WallboardQueue> figures(const std::vector<const Queue*>& queues) const;
  WallboardAgent agent_figures(const AgentView& agent) const;
  void touch_queues_of(const AgentView& agent);

  const core::Clock& clock_;
  std::mutex mutex_;
  std::int64_t day_start_ = 0;
  std::map<std::string, Queue> queues_;
  std::map<std::string, AgentView> agents_;
  std::map<std::string, std::int64_t> handled_;  // by extension, also of agents not (yet) listed
  WallboardChanges changes_;
};

}  // namespace unicc::acd
