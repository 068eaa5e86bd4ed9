-- Argo CD health check for profileops.dev/ProfileSource (kstatus-shaped status).
-- argocd-cm key: resource.customizations.health.profileops.dev_ProfileSource
--
-- In order: spec.suspend -> Suspended; Stalled=True -> Degraded; a status older than the spec
-- (status.observedGeneration ~= metadata.generation) -> Progressing; Ready=True -> Healthy;
-- anything else (Reconciling, Ready=False or Unknown, no status yet) -> Progressing.
-- Uses only Lua's base and table libraries: Argo CD does not open the others (no string library).
local hs = {}

local function condition(wanted)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == wanted then
        return c
      end
    end
  end
  return nil
end

local function describe(c, default)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return default
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended (spec.suspend: true): not following the repository"
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if generation ~= nil and observed ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the syncer to observe generation " .. tostring(generation)
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  if ready.message ~= nil and ready.message ~= "" then
    hs.message = ready.message
  elseif obj.status.lastAppliedRevision ~= nil and obj.status.lastAppliedRevision ~= "" then
    hs.message = "Applied revision " .. obj.status.lastAppliedRevision
  else
    hs.message = describe(ready, "Ready")
  end
  return hs
end

local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling, "Reconciling")
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready, "Waiting for the syncer")
return hs
