-- Argo CD health check for security-profiles-operator.x-k8s.io/SelinuxProfile, as ProfileOps and SPO report it.
-- argocd-cm key: resource.customizations.health.security-profiles-operator.x-k8s.io_SelinuxProfile
--
-- status.status is the lowest state across the nodes, in the order
-- Error < Terminating < Partial < Disabled < Pending < InProgress < Installed;
-- the Ready condition carries the reason (the state) and a message.
-- Uses only Lua's base and table libraries: Argo CD does not open the others (no string library).
local hs = {}

local function readyMessage(default)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, condition in ipairs(obj.status.conditions) do
      if condition.type == "Ready" and condition.message ~= nil and condition.message ~= "" then
        return condition.message
      end
    end
  end
  return default
end

local state = nil
if obj.status ~= nil then
  state = obj.status.status
end

if state == nil or state == "" then
  hs.status = "Progressing"
  hs.message = "Waiting for the nodes to report"
elseif state == "Installed" then
  hs.status = "Healthy"
  hs.message = readyMessage("Installed on every node")
elseif state == "Pending" then
  hs.status = "Progressing"
  hs.message = readyMessage("Pending: not installed on every node yet")
elseif state == "InProgress" then
  hs.status = "Progressing"
  hs.message = readyMessage("Being installed on the nodes")
elseif state == "Terminating" then
  hs.status = "Progressing"
  hs.message = readyMessage("Being removed from the nodes")
elseif state == "Error" then
  hs.status = "Degraded"
  hs.message = readyMessage("Error on at least one node")
elseif state == "Disabled" then
  hs.status = "Suspended"
  hs.message = readyMessage("Disabled (spec.state: Disabled): installed on no node")
elseif state == "Partial" then
  hs.status = "Suspended"
  hs.message = readyMessage("Partial recording (label spo.x-k8s.io/partial): installed on no node")
else
  hs.status = "Unknown"
  hs.message = "Unknown profile state: " .. tostring(state)
end
return hs
