#pragma once
// ivr::FlowStore — flow documents in the database, versioned (store::VersionedDocuments
// over the flows and flow_current tables).
#include "store/versioned_documents.h"

namespace unicc::ivr {

using StoredFlow = store::StoredDocument;
using FlowSummary = store::DocumentSummary;
using FlowStoreError = store::VersionedDocumentsError;

class FlowStore : public store::VersionedDocuments {
 public:
  FlowStore(store::Database& db, const core::Clock& clock)
      : VersionedDocuments(db, clock, "flow", "flows", "flow_current") {}
};

}  // namespace unicc::ivr
