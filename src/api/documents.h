#pragma once
// Versioned documents (store::VersionedDocuments: IVR flows, QA forms) as their
// endpoints show them: one JSON shape for both.
#include <string>

#include <nlohmann/json.hpp>

#include "store/versioned_documents.h"

namespace unicc::api {

// {"name","version","status","created_at","created_by"}, and when asked "document" and
// "text" (the document as it was saved, byte for byte: "document" is parsed, so its
// keys come sorted).
nlohmann::json document_version_json(const store::StoredDocument& stored, bool with_document);

// What GET of a name answers: {"name","current_version","document" (the current
// version's, or null),"draft" (with its document, or null),"versions" (newest first)}.
// HttpError 404 naming the `kind` ("flow", "form") when the name has neither a draft
// nor a version.
nlohmann::json document_overview(store::VersionedDocuments& documents, const std::string& name,
                                 const std::string& kind);

}  // namespace unicc::api
