#pragma once
// The schema's history: each version is a list of statements written once for
// both backends. `{id}` stands for an auto-incrementing primary key, which each
// backend spells its own way; 64-bit columns are BIGINT (timestamps in ms).
// Versions are never edited once released; a change is a new version.
#include <string>
#include <vector>

#include "store/database.h"

namespace unicc::store {

struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

const std::vector<Migration>& migrations();

// `sql` with the placeholders spelled for `backend`.
std::string for_backend(const std::string& sql, Backend backend);

}  // namespace unicc::store
