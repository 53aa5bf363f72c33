#include "api/documents.h"

#include "http/router.h"

namespace unicc::api {

using nlohmann::json;

json document_version_json(const store::StoredDocument& stored, bool with_document) {
  json out = {{"name", stored.name},
              {"version", stored.version},
              {"status", stored.status},
              {"created_at", stored.created_at},
              {"created_by", stored.created_by}};
  if (with_document) {
    out["document"] = json::parse(stored.document, nullptr, false);
    out["text"] = stored.document;  // as saved: its key order and line numbers
  }
  return out;
}

json document_overview(store::VersionedDocuments& documents, const std::string& name, const std::string& kind) {
  auto draft = documents.draft(name);
  auto versions = documents.versions(name);
  if (!draft && versions.empty()) throw http::HttpError(404, "not_found", "no " + kind + " '" + name + "'");
  const std::int64_t current = documents.current_version(name);
  json history = json::array();
  for (const auto& version : versions) history.push_back(document_version_json(version, false));
  auto published = current > 0 ? documents.version(name, current) : std::nullopt;
  return {{"name", name},
          {"current_version", current},
          {"document", published ? json::parse(published->document, nullptr, false) : json(nullptr)},
          {"draft", draft ? document_version_json(*draft, true) : json(nullptr)},
          {"versions", history}};
}

}  // namespace unicc::api
