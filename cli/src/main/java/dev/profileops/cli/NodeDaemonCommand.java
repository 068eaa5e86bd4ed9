package dev.profileops.cli;

import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.SecurityModules;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Cluster mode of the node daemon: install this node's profiles from the cluster (KUBECONFIG or in-cluster). */
@Command(name = "node-daemon", description = "Install the cluster's profiles on this node (KUBECONFIG or in-cluster).")
final class NodeDaemonCommand implements Callable<Integer> {

  @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}", description = "This node's name (default: $NODE_NAME)")
  String nodeName;

  @Option(names = "--kubelet-dir", description = "Kubelet directory (default: $KUBELET_DIR or /var/lib/kubelet)")
  Path kubeletDir;

  @Override
  public Integer call() throws InterruptedException {
    if (nodeName == null || nodeName.isBlank()) {
      System.err.println("error: --node-name (or NODE_NAME) is required");
      return 2;
    }
    Path dir = kubeletDir != null ? kubeletDir : NodeDaemon.kubeletDir(System.getenv());
    System.err.println("profileops node-daemon 0.1.0 on node " + nodeName + ", kubelet dir " + dir
        + ", libseccomp " + SyscallTables.system().version());
    KubernetesClient client = new KubernetesClientBuilder().build();
    NodeDaemon daemon = new NodeDaemon(client, nodeName, dir, SecurityModules.system(client), o -> {});
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      client.close();
      stopped.countDown();
    }));
    daemon.start();
    if (daemon.awaitReady(Duration.ofMinutes(5))) {
      System.err.println("ready: profiles of node " + nodeName + " installed");
    }
    stopped.await();
    return 0;
  }
}
