#pragma once
// acd::AgentView and AgentStateChange — an agent and its state changes as the API
// shows them (state names: logged_out, ready, not_ready, reserved, on_call, wrap_up).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace unicc::acd {

// An agent as the ACD sees it.
struct AgentView {
  std::string extension;
  std::string name;
  std::string state;  // logged_out, ready, not_ready, reserved, on_call, wrap_up
  std::string reason;
  std::int64_t since_ms = 0;
  std::vector<std::string> queues;  // the queues the agent serves
  // The agent's configuration, in listings (acd_store::AcdDirectory::agents); state
  // changes leave them empty.
  std::vector<std::pair<std::string, int>> skills;  // skill name, level
  std::vector<std::string> groups;
};

// Something that happened to a call in an ACD queue, for the wallboard.
struct QueueCallEvent {
  std::string queue;
  // queued, offered, answered, returned, callback_requested, overflowed, abandoned,
  // completed; closed: reached the queue outside its calendar's hours (never queued)
  std::string event;
  std::uint64_t call = 0;  // the ACD's id of the call
  std::string agent;       // the agent's extension, for offered, answered, returned, completed
  std::int64_t waited_ms = 0;
  std::int64_t at_ms = 0;
  bool busy = false;  // overflowed: the queue was full or had no agent logged in
};

// A queue's live figures.
struct QueueView {
  std::size_t waiting = 0;
  std::size_t logged_in = 0;
  std::size_t working = 0;  // logged in and not "not ready"
  std::size_t ready = 0;
  std::int64_t handle_time_ms = 0;  // recent average, or the configured default
};

struct AgentStateChange {
  std::string extension;
  std::string from;
  std::string to;
  std::string reason;
  std::int64_t at_ms = 0;
  std::int64_t previous_ms = 0;  // how long `from` lasted
};

}  // namespace unicc::acd
