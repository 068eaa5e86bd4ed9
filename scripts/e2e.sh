#!/usr/bin/env bash
# Opt-in end-to-end run against a real cluster (never run by the tests): builds the images, applies
# manifests/overlays/default, creates a SeccompProfile and waits until every node has installed it.
# See docs/e2e.md.
#   KUBECONFIG=~/.kube/config scripts/e2e.sh
# Environment:
#   KUBECONFIG      required: the cluster to install into (a throwaway one: kind, minikube, k3d)
#   ENGINE          podman or docker (default: the first found)
#   KIND_CLUSTER    when set, load the images into this kind cluster instead of needing a registry
#   SKIP_BUILD=1    use images already present (localhost/profileops-*:0.1.0)
#   KEEP=1          leave ProfileOps installed afterwards
set -euo pipefail
cd "$(dirname "$0")/.."

: "${KUBECONFIG:?set KUBECONFIG to a throwaway cluster; this script installs ProfileOps into it}"
export KUBECONFIG
tag=0.1.0
profile=profileops-e2e-$(date +%s)
timeout=${TIMEOUT:-300}

say() { echo "e2e: $*" >&2; }

if [ "${SKIP_BUILD:-}" != 1 ]; then
  engine=${ENGINE:-$(command -v podman || command -v docker || true)}
  [ -n "$engine" ] || { say "neither podman nor docker found (or set SKIP_BUILD=1)"; exit 1; }
  for target in controller node-daemon; do
    say "building localhost/profileops-$target:$tag with $engine"
    "$engine" build --target "$target" -t "localhost/profileops-$target:$tag" -f Containerfile .
  done
  if [ -n "${KIND_CLUSTER:-}" ]; then
    for target in controller node-daemon; do
      if [ "$(basename "$engine")" = podman ]; then
        archive=$(mktemp --suffix=.tar)
        podman save -o "$archive" "localhost/profileops-$target:$tag"
        kind load image-archive --name "$KIND_CLUSTER" "$archive"
        rm -f "$archive"
      else
        kind load docker-image --name "$KIND_CLUSTER" "localhost/profileops-$target:$tag"
      fi
    done
  fi
fi

cleanup() {
  kubectl delete seccompprofile "$profile" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  if [ "${KEEP:-}" != 1 ]; then
    say "removing ProfileOps (KEEP=1 keeps it)"
    kubectl delete -k manifests/overlays/default --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

say "applying manifests/overlays/default"
kubectl apply --server-side -k manifests/overlays/default
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
kubectl -n profileops rollout status deploy/profileops-controller --timeout="${timeout}s"
kubectl -n profileops rollout status ds/profileops-node-daemon --timeout="${timeout}s"

say "creating SeccompProfile $profile"
kubectl apply -f - <<YAML
apiVersion: security-profiles-operator.x-k8s.io/v1
kind: SeccompProfile
metadata:
  name: $profile
spec:
  defaultAction: SCMP_ACT_ERRNO
  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64]
  syscalls:
    - action: SCMP_ACT_ALLOW
      names: [read, write, exit, exit_group, rt_sigreturn]
YAML

nodes=$(kubectl -n profileops get pods -l app.kubernetes.io/name=profileops-node-daemon -o jsonpath='{.items[*].spec.nodeName}')
say "waiting for nodes: $nodes"
deadline=$((SECONDS + timeout))
for node in $nodes; do
  until [ "$(kubectl get securityprofilenodestatus "$profile-$node" -o jsonpath='{.status.status}' 2>/dev/null)" = Installed ]; do
    if [ $SECONDS -ge $deadline ]; then
      say "FAILED: $profile not Installed on $node after ${timeout}s"
      kubectl get securityprofilenodestatus -l "spo.x-k8s.io/profile-id=SeccompProfile-$profile" -o wide || true
      kubectl -n profileops logs ds/profileops-node-daemon --tail=50 || true
      exit 1
    fi
    sleep 2
  done
  say "installed on $node"
done
until [ "$(kubectl get seccompprofile "$profile" -o jsonpath='{.status.status}')" = Installed ]; do
  [ $SECONDS -lt $deadline ] || { say "FAILED: the profile's own status is not Installed"; exit 1; }
  sleep 2
done
say "profile status: $(kubectl get seccompprofile "$profile" -o jsonpath='{.status.localhostProfile} {.status.status}')"
say "PASSED"
