"""kubectl's command tree and flags, as data (kubectl v1.34).

Sources: kubernetes/kubectl pkg/cmd/cmd.go (command groups and their order), each pkg/cmd/<verb>/*.go
(Use, flags), cli-runtime pkg/genericclioptions (print, record, config flags), pkg/cmd/util/helpers.go
(filename, dry-run, validate, field-manager flags). Flag `type` names are pflag's Value.Type() strings
because they show up in error messages and help ("stringSlice", "stringArray", "int32", "duration", ...).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Flag:
    name: str
    type: str  # bool|string|int|int32|int64|stringSlice|stringArray|duration|Level
    default: Any
    shorthand: str = ""
    usage: str = ""
    deprecated: str = ""  # pflag MarkDeprecated: hidden from help, warns on use
    no_opt_default: str | None = None  # pflag NoOptDefVal: `--flag` alone means this value
    hidden: bool = False
    required: bool = False  # cobra MarkFlagRequired

    @property
    def default_text(self) -> str:
        """pflag DefValue as the help templater shows it ('' quotes strings)."""
        d = self.default
        if self.type == "bool":
            return "true" if d else "false"
        if self.type in ("stringSlice", "stringArray"):
            return "[" + ",".join(d) + "]"
        if self.type == "string":
            return f"'{d}'"
        if self.type == "duration":
            return d
        return str(d)


@dataclass(frozen=True)
class Command:
    name: str
    use: str
    short: str
    flags: tuple[Flag, ...] = ()
    subcommands: tuple["Command", ...] = ()
    aliases: tuple[str, ...] = ()
    suggest_for: tuple[str, ...] = ()
    runnable: bool = True
    # group commands (rollout, set, config, create's bare form) run DefaultSubCommandRun:
    # extra args -> `unknown command`, no args -> help on stderr, exit 1
    group: bool = False
    supported: bool = True  # the console implements it
    hidden: bool = False
    persistent_flags: tuple[Flag, ...] = ()
    disable_flags_in_use_line: bool = True

    def sub(self, name: str) -> "Command | None":
        for c in self.subcommands:
            if c.name == name or name in c.aliases:
                return c
        return None


def b(name, default=False, short="", usage="", **kw) -> Flag:
    return Flag(name, "bool", default, short, usage, no_opt_default="true", **kw)


def s(name, default="", short="", usage="", **kw) -> Flag:
    return Flag(name, "string", default, short, usage, **kw)


def i(name, default=0, short="", usage="", type="int", **kw) -> Flag:
    return Flag(name, type, default, short, usage, **kw)


def ss(name, short="", usage="", default=(), **kw) -> Flag:
    return Flag(name, "stringSlice", tuple(default), short, usage, **kw)


def sa(name, short="", usage="", default=(), **kw) -> Flag:
    return Flag(name, "stringArray", tuple(default), short, usage, **kw)


def d(name, default="0s", short="", usage="", **kw) -> Flag:
    return Flag(name, "duration", default, short, usage, **kw)


# --- global flags (root PersistentFlags: cli-runtime ConfigFlags, klog, profiling) -----------------
GLOBAL_FLAGS: tuple[Flag, ...] = (
    s("as", usage="Username to impersonate for the operation. User could be a regular user or a service account in a namespace."),
    sa("as-group", usage="Group to impersonate for the operation, this flag can be repeated to specify multiple groups."),
    s("as-uid", usage="UID to impersonate for the operation."),
    s("cache-dir", "$HOME/.kube/cache", usage="Default cache directory"),
    s("certificate-authority", usage="Path to a cert file for the certificate authority"),
    s("client-certificate", usage="Path to a client certificate file for TLS"),
    s("client-key", usage="Path to a client key file for TLS"),
    s("cluster", usage="The name of the kubeconfig cluster to use"),
    s("context", usage="The name of the kubeconfig context to use"),
    b("disable-compression", usage="If true, opt-out of response compression for all requests to the server"),
    b("insecure-skip-tls-verify", usage="If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure"),
    s("kubeconfig", usage="Path to the kubeconfig file to use for CLI requests."),
    s("kuberc", usage="Path to the kuberc file to use for preferences. This can be disabled by exporting KUBECTL_KUBERC=false feature gate or turning off the feature KUBERC=off."),
    d("log-flush-frequency", "5s", usage="Maximum number of seconds between log flushes"),
    b("match-server-version", usage="Require server version to match client version"),
    s("namespace", short="n", usage="If present, the namespace scope for this CLI request"),
    s("password", usage="Password for basic authentication to the API server"),
    s("profile", "none", usage="Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)"),
    s("profile-output", "profile.pprof", usage="Name of the file to write the profile to"),
    s("request-timeout", "0", usage="The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests."),
    s("server", short="s", usage="The address and port of the Kubernetes API server"),
    s("tls-server-name", usage="Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used"),
    s("token", usage="Bearer token for authentication to the API server"),
    s("user", usage="The name of the kubeconfig user to use"),
    s("username", usage="Username for basic authentication to the API server"),
    Flag("v", "Level", 0, "v", "number for the log level verbosity"),
    Flag("vmodule", "pattern=N", "", "", "comma-separated list of pattern=N settings for file-filtered logging (only works for text log format)"),
    b("warnings-as-errors", usage="Treat warnings received from the server as errors and exit with a non-zero exit code"),
)

HELP_FLAG_USAGE = "help for {name}"

# --- shared flag bundles -------------------------------------------------------------------------
OUTPUT_USAGE = "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)."
TEMPLATE_USAGE = "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."
AMTK_USAGE = "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats."
SMF_USAGE = "If true, keep the managedFields when printing objects in JSON or YAML format."

PRINT_FLAGS = (
    b("allow-missing-template-keys", True, usage=AMTK_USAGE),
    s("output", short="o", usage=OUTPUT_USAGE),
    b("show-managed-fields", usage=SMF_USAGE),
    s("template", usage=TEMPLATE_USAGE),
)

RECORD = (b("record", usage="Record current kubectl command in the resource annotation. If set to false, do not record the command. If set to true, record the command. If not set, default to updating the existing annotation value only if one already exists.",
            deprecated="--record will be removed in the future"),)


def filename_flags(usage: str) -> tuple[Flag, ...]:
    return (
        ss("filename", "f", "Filename, directory, or URL to files " + usage),
        s("kustomize", short="k", usage="Process the kustomization directory. This flag can't be used together with -f or -R."),
        b("recursive", short="R", usage="Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory."),
    )


DRY_RUN = (s("dry-run", "none", usage='Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.', no_opt_default="unchanged"),)
VALIDATE = (s("validate", "strict", usage='Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.', no_opt_default="strict"),)
SAVE_CONFIG = (b("save-config", usage="If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),)
SELECTOR = (s("selector", short="l", usage="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints."),)
LOCAL = lambda verb: (b("local", usage=f"If true, {verb} will NOT contact api-server but run locally."),)


def field_manager(default: str) -> tuple[Flag, ...]:
    return (s("field-manager", default, usage="Name of the manager used to track field ownership."),)


def _cmd(name, use, short, *flag_groups, **kw) -> Command:
    flags: list[Flag] = []
    for g in flag_groups:
        flags.extend(g)
    return Command(name=name, use=use, short=short, flags=tuple(flags), **kw)


# --- get ---------------------------------------------------------------------------------------
GET = _cmd(
    "get",
    "get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
    "Display one or many resources",
    (
        b("all-namespaces", short="A", usage="If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        b("allow-missing-template-keys", True, usage=AMTK_USAGE),
        i("chunk-size", 500, type="int64", usage="Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
        s("field-selector", usage="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        b("ignore-not-found", usage="If set to true, suppresses NotFound error for specific objects that do not exist. Using this flag with commands that query for collections of resources has no effect when no resources are found."),
        ss("label-columns", "L", "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2..."),
        b("no-headers", usage="When using the default or custom-column output format, don't print headers (default print headers)."),
        s("output", short="o", usage="Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/]."),
        b("output-watch-events", usage="Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events."),
        s("raw", usage="Raw URI to request from the server.  Uses the transport specified by the kubeconfig file."),
        b("server-print", True, usage="If true, have the server return the appropriate table output. Supports extension APIs and CRDs."),
        b("show-kind", usage="If present, list the resource type for the requested object(s)."),
        b("show-labels", usage="When printing, show all labels as the last column (default hide labels column)"),
        b("show-managed-fields", usage=SMF_USAGE),
        s("sort-by", usage="If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
        s("subresource", usage="If specified, gets the subresource of the requested object."),
        s("template", usage=TEMPLATE_USAGE),
        b("watch", short="w", usage="After listing/getting the requested object, watch for changes."),
        b("watch-only", usage="Watch for changes to the requested object(s), without listing/getting first."),
    ),
    SELECTOR,
    filename_flags("identifying the resource to get from a server."),
    suggest_for=("list", "ps"),
)

DESCRIBE = _cmd(
    "describe", "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
    "Show details of a specific resource or group of resources",
    (
        b("all-namespaces", short="A", usage="If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        i("chunk-size", 500, type="int64", usage="Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
        b("show-events", True, usage="If true, display events related to the described object."),
    ),
    SELECTOR,
    filename_flags("containing the resource to describe"),
)

# --- create and its generators ------------------------------------------------------------------
CREATE_DEPLOYMENT = _cmd(
    "deployment", "deployment NAME --image=image -- [COMMAND] [args...]",
    "Create a deployment with the specified name",
    PRINT_FLAGS, DRY_RUN, field_manager("kubectl-create"), SAVE_CONFIG, VALIDATE,
    (
        ss("image", usage="Image names to run. A deployment can have multiple images set for multi-container pod.", required=True),
        i("port", -1, type="int32", usage="The containerPort that this deployment exposes."),
        i("replicas", 1, short="r", type="int32", usage="Number of replicas to create. Default is 1."),
    ),
    aliases=("deploy",), disable_flags_in_use_line=False,
)
CREATE_NAMESPACE = _cmd(
    "namespace", "namespace NAME [--dry-run=server|client|none]",
    "Create a namespace with the specified name",
    PRINT_FLAGS, DRY_RUN, field_manager("kubectl-create"), SAVE_CONFIG, VALIDATE,
    aliases=("ns",),
)
_SVC_COMMON = (PRINT_FLAGS, DRY_RUN, field_manager("kubectl-create"), SAVE_CONFIG, VALIDATE)
_TCP = ss("tcp", usage="Port pairs can be specified as '<port>:<targetPort>'.")
CREATE_SERVICE = Command(
    "service", "service", "Create a service using a specified subcommand", aliases=("svc",), group=True,
    subcommands=(
        _cmd("clusterip", "clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]",
             "Create a ClusterIP service", *_SVC_COMMON,
             (s("clusterip", usage="Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)."), _TCP)),
        _cmd("nodeport", "nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
             "Create a NodePort service", *_SVC_COMMON,
             (i("node-port", 0, usage="Port used to expose the service on each node in a cluster."), _TCP)),
        _cmd("loadbalancer", "loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
             "Create a LoadBalancer service", *_SVC_COMMON, (_TCP,)),
        _cmd("externalname", "externalname NAME --external-name external.name [--dry-run=server|client|none]",
             "Create an ExternalName service", *_SVC_COMMON,
             (s("external-name", usage="External name of service", required=True), _TCP)),
    ),
)
_FROM_SOURCES = lambda what: (  # noqa: E731
    b("append-hash", usage=f"Append a hash of the {what} to its name."),
    ss("from-env-file", usage=f"Specify the path to a file to read lines of key=val pairs to create a {what}."),
    ss("from-file", usage=("Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key."
                           if what == "configmap" else
                           "Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.")),
    sa("from-literal", usage=f"Specify a key and literal value to insert in {what} (i.e. mykey=somevalue)"),
)
CREATE_CONFIGMAP = _cmd(
    "configmap", "configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
    "Create a config map from a local file, directory or literal value",
    PRINT_FLAGS, DRY_RUN, field_manager("kubectl-create"), SAVE_CONFIG, VALIDATE, _FROM_SOURCES("configmap"),
    aliases=("cm",),
)
CREATE_SECRET = Command(
    "secret", "secret (docker-registry | generic | tls)", "Create a secret using a specified subcommand", group=True,
    subcommands=(
        Command("docker-registry", "docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]",
                "Create a secret for use with a Docker registry", supported=False),
        _cmd("generic", "generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
             "Create a secret from a local file, directory, or literal value",
             PRINT_FLAGS, DRY_RUN, field_manager("kubectl-create"), SAVE_CONFIG, VALIDATE, _FROM_SOURCES("secret"),
             (s("type", usage="The type of secret to create"),)),
        Command("tls", "tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]",
                "Create a TLS secret", supported=False),
    ),
)
# generators kubectl has but the console does not simulate: they exist (so no "unknown command")
_UNSUPPORTED_CREATE = (
    ("clusterrole", "Create a cluster role", ()), ("clusterrolebinding", "Create a cluster role binding for a particular cluster role", ()),
    ("cronjob", "Create a cron job with the specified name", ("cj",)), ("ingress", "Create an ingress with the specified name", ("ing",)),
    ("job", "Create a job with the specified name", ()), ("poddisruptionbudget", "Create a pod disruption budget with the specified name", ("pdb",)),
    ("priorityclass", "Create a priority class with the specified name", ("pc",)), ("quota", "Create a quota with the specified name", ("resourcequota",)),
    ("role", "Create a role with single rule", ()), ("rolebinding", "Create a role binding for a particular role or cluster role", ()),
    ("serviceaccount", "Create a service account with the specified name", ("sa",)),
    ("token", "Request a service account token", ()),
)
CREATE = _cmd(
    "create", "create -f FILENAME", "Create a resource from a file or from stdin",
    RECORD, filename_flags("to use to create the resource"), VALIDATE, PRINT_FLAGS, SAVE_CONFIG, DRY_RUN,
    field_manager("kubectl-create"),
    (
        b("edit", usage="Edit the API resource before creating"),
        s("raw", usage="Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file."),
        b("windows-line-endings", usage="Only relevant if --edit=true. Defaults to the line ending native to your platform."),
    ),
    SELECTOR,
    subcommands=(CREATE_CONFIGMAP, CREATE_DEPLOYMENT, CREATE_NAMESPACE, CREATE_SECRET, CREATE_SERVICE) + tuple(
        Command(n, f"{n} NAME", short, aliases=al, supported=False) for n, short, al in _UNSUPPORTED_CREATE
    ),
)

APPLY = _cmd(
    "apply", "apply (-f FILENAME | -k DIRECTORY)", "Apply a configuration to a resource by file name or stdin",
    RECORD, PRINT_FLAGS, filename_flags("that contains the configuration to apply"), VALIDATE, DRY_RUN,
    field_manager("kubectl-client-side-apply"), SELECTOR,
    (
        b("all", usage="Select all resources in the namespace of the specified resource types."),
        b("cascade", usage='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', hidden=True),
        b("force", usage="If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        b("force-conflicts", usage="If true, server-side apply will force the changes against conflicts."),
        i("grace-period", -1, usage="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        b("overwrite", True, usage="Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration"),
        b("prune", usage="Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all."),
        b("server-side", usage="If true, apply runs in the server instead of the client."),
        b("wait", usage="If true, wait for resources to be gone before returning. This waits for finalizers."),
        d("timeout", usage="The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
    ),
)

REPLACE = _cmd(
    "replace", "replace -f FILENAME", "Replace a resource by file name or stdin",
    RECORD, PRINT_FLAGS, filename_flags("to use to replace the resource."), VALIDATE, SAVE_CONFIG, DRY_RUN,
    field_manager("kubectl-replace"),
    (
        s("cascade", "background", usage='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', no_opt_default="background"),
        b("force", usage="If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        i("grace-period", -1, usage="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        s("raw", usage="Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file."),
        s("subresource", usage="If specified, replace will operate on the subresource of the requested object."),
        d("timeout", usage="The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        b("wait", usage="If true, wait for resources to be gone before returning. This waits for finalizers."),
    ),
)

DELETE = _cmd(
    "delete", "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
    "Delete resources by file names, stdin, resources and names, or by resources and label selector",
    filename_flags("containing the resource to delete."),
    (
        b("all", usage="Delete all resources, in the namespace of the specified resource types."),
        b("all-namespaces", short="A", usage="If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        s("cascade", "background", usage='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', no_opt_default="background"),
        s("field-selector", usage="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        b("force", usage="If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        i("grace-period", -1, usage="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        b("ignore-not-found", usage='Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.'),
        b("interactive", short="i", usage="If true, delete resource only when user confirms."),
        b("now", usage="If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
        s("output", short="o", usage="Output mode. Use \"-o name\" for shorter output (resource/name)."),
        s("raw", usage="Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file."),
        d("timeout", usage="The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        b("wait", True, usage="If true, wait for resources to be gone before returning. This waits for finalizers."),
    ),
    SELECTOR, DRY_RUN,
)

PATCH = _cmd(
    "patch", "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
    "Update fields of a resource",
    RECORD, PRINT_FLAGS, filename_flags("identifying the resource to update"), DRY_RUN, field_manager("kubectl-patch"),
    LOCAL("patch"),
    (
        s("patch", short="p", usage="The patch to be applied to the resource JSON file."),
        s("patch-file", usage="A file containing a patch to be applied to the resource."),
        s("subresource", usage="If specified, patch will operate on the subresource of the requested object."),
        s("type", "strategic", usage="The type of patch being provided; one of [json merge strategic]"),
    ),
)

EDIT = _cmd(
    "edit", "edit (RESOURCE/NAME | -f FILENAME)", "Edit a resource on the server",
    RECORD, PRINT_FLAGS, filename_flags("to use to edit the resource"), VALIDATE, field_manager("kubectl-edit"),
    SAVE_CONFIG,
    (
        b("output-patch", usage="Output the patch if the resource is edited."),
        s("subresource", usage="If specified, edit will operate on the subresource of the requested object."),
        b("windows-line-endings", usage="Defaults to the line ending native to your platform."),
    ),
)

RUN = _cmd(
    "run", "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]",
    "Run a particular image on the cluster",
    PRINT_FLAGS, DRY_RUN, field_manager("kubectl-run"), VALIDATE,
    (
        sa("annotations", usage="Annotations to apply to the pod."),
        b("attach", usage="If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned."),
        s("cascade", "background", usage='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', no_opt_default="background"),
        b("command", usage="If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
        sa("env", usage="Environment variables to set in the container."),
        b("expose", usage="If true, create a ClusterIP service associated with the pod.  Requires `--port`."),
        b("force", usage="If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        i("grace-period", -1, usage="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        s("image", usage="The image for the container to run.", required=True),
        s("image-pull-policy", usage="The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server."),
        s("labels", short="l", usage="Comma separated labels to apply to the pod. Will override previous values."),
        b("leave-stdin-open", usage="If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes."),
        s("override-type", "merge", usage="The method used to override the generated object: json, merge, or strategic."),
        s("overrides", usage="An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field."),
        d("pod-running-timeout", "1m0s", usage="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
        s("port", usage="The port that this container exposes."),
        b("privileged", usage="If true, run the container in privileged mode."),
        b("quiet", short="q", usage="If true, suppress prompt messages."),
        s("restart", "Always", usage="The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
        b("rm", usage="If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'."),
        b("stdin", short="i", usage="Keep stdin open on the container in the pod, even if nothing is attached."),
        d("timeout", usage="The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        b("tty", short="t", usage="Allocate a TTY for the container in the pod."),
        b("wait", usage="If true, wait for resources to be gone before returning. This waits for finalizers."),
    ),
    disable_flags_in_use_line=True,
)

EXPOSE = _cmd(
    "expose", "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]",
    "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    RECORD, PRINT_FLAGS, filename_flags("identifying the resource to expose a service"), DRY_RUN,
    field_manager("kubectl-expose"),
    (
        s("cluster-ip", usage="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service."),
        s("external-ip", usage="Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP."),
        s("labels", short="l", usage="Labels to apply to the service created by this call."),
        s("load-balancer-ip", usage="IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific)."),
        s("name", usage="The name for the newly created object."),
        s("override-type", "merge", usage="The method used to override the generated object: json, merge, or strategic."),
        s("overrides", usage="An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field."),
        s("port", usage="The port that the service should serve on. Copied from the resource being exposed, if unspecified"),
        s("protocol", usage="The network protocol for the service to be created. Default is 'TCP'."),
        s("selector", usage="A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)"),
        s("session-affinity", usage="If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'"),
        s("target-port", usage="Name or number for the port on the container that the service should direct traffic to. Optional."),
        s("type", usage="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."),
    ),
)

SCALE = _cmd(
    "scale", "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
    "Set a new size for a deployment, replica set, or replication controller",
    RECORD, PRINT_FLAGS,
    (
        b("all", usage="Select all resources in the namespace of the specified resource types"),
        i("current-replicas", -1, usage="Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition."),
        i("replicas", 0, usage="The new desired number of replicas. Required.", required=True),
        s("resource-version", usage="Precondition for resource version. Requires that the current resource version match this value in order to scale."),
        d("timeout", usage="The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
    ),
    filename_flags("identifying the resource to set a new size"), DRY_RUN, SELECTOR,
)

# --- set ---------------------------------------------------------------------------------------
_SET_COMMON = (RECORD, PRINT_FLAGS, filename_flags("identifying the resource to get from a server."))
SET = Command(
    "set", "set SUBCOMMAND", "Set specific features on objects", group=True,
    subcommands=(
        _cmd("env", "env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N", "Update environment variables on a pod template",
             PRINT_FLAGS, filename_flags("the resource to update the env"), DRY_RUN, field_manager("kubectl-set"),
             (
                 b("all", usage="If true, select all resources in the namespace of the specified resource types"),
                 ss("containers", "c", "The names of containers in the selected pod templates to change - may use wildcards", default=("*",)),
                 sa("env", "e", "Specify a key-value pair for an environment variable to set into each container."),
                 s("from", usage="The name of a resource from which to inject environment variables"),
                 ss("keys", usage="Comma-separated list of keys to import from specified resource"),
                 b("list", usage="If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env."),
                 b("overwrite", True, usage="If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment."),
                 s("prefix", usage="Prefix to append to variable names"),
                 b("resolve", usage="If true, show secret or configmap references when listing variables"),
             ), LOCAL("set env"), SELECTOR),
        _cmd("image", "image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
             "Update the image of a pod template", *_SET_COMMON,
             (b("all", usage="Select all resources, in the namespace of the specified resource types"),),
             LOCAL("set image"), DRY_RUN, field_manager("kubectl-set"), SELECTOR),
        _cmd("resources", "resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]",
             "Update resource requests/limits on objects with pod templates", *_SET_COMMON,
             (
                 b("all", usage="Select all resources, in the namespace of the specified resource types"),
                 s("containers", "*", short="c", usage="The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards"),
                 s("limits", usage="The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
                 s("requests", usage="The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
             ), LOCAL("set resources"), DRY_RUN, field_manager("kubectl-set"), SELECTOR),
        _cmd("selector", "selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]",
             "Set the selector on a resource", *_SET_COMMON,
             (
                 b("all", usage="Select all resources in the namespace of the specified resource types"),
                 s("resource-version", usage="If non-empty, the selectors update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource."),
             ), LOCAL("annotate"), DRY_RUN, field_manager("kubectl-set")),
        _cmd("serviceaccount", "serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT",
             "Update the service account of a resource", *_SET_COMMON,
             (b("all", usage="Select all resources, in the namespace of the specified resource types"),),
             LOCAL("set serviceaccount"), DRY_RUN, field_manager("kubectl-set"), aliases=("sa",)),
        Command("subject", "subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]", "Update the user, group, or service account in a role binding or cluster role binding", supported=False),
    ),
)

# --- label / annotate --------------------------------------------------------------------------
_META_COMMON = (
    b("all", usage="Select all resources, in the namespace of the specified resource types"),
    b("all-namespaces", short="A", usage="If true, check the specified action in all namespaces."),
    s("field-selector", usage="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
    b("list", usage="If true, display the {what}s for a given resource."),
    b("local", usage="If true, {what} will NOT contact api-server but run locally."),
    b("overwrite", usage="If true, allow {what}s to be overwritten, otherwise reject {what} updates that overwrite existing {what}s."),
    s("resource-version", usage="If non-empty, the {what}s update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource."),
)


def _meta_flags(what: str) -> tuple[Flag, ...]:
    return tuple(Flag(f.name, f.type, f.default, f.shorthand, f.usage.format(what=what), no_opt_default=f.no_opt_default)
                 for f in _META_COMMON)


LABEL = _cmd(
    "label", "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
    "Update the labels on a resource",
    RECORD, PRINT_FLAGS, _meta_flags("label"), filename_flags("identifying the resource to update the labels"),
    DRY_RUN, field_manager("kubectl-label"), SELECTOR,
)
ANNOTATE = _cmd(
    "annotate", "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
    "Update the annotations on a resource",
    RECORD, PRINT_FLAGS, _meta_flags("annotation"), filename_flags("identifying the resource to update the annotation"),
    DRY_RUN, field_manager("kubectl-annotate"), SELECTOR,
)

# --- rollout -----------------------------------------------------------------------------------
_RO_FILE = lambda u: filename_flags(u)
ROLLOUT = Command(
    "rollout", "rollout SUBCOMMAND", "Manage the rollout of a resource", group=True,
    subcommands=(
        _cmd("history", "history (TYPE NAME | TYPE/NAME) [flags]", "View rollout history", PRINT_FLAGS,
             _RO_FILE("identifying the resource to get from a server."),
             (i("revision", 0, type="int64", usage="See the details, including podTemplate of the revision specified"),), SELECTOR),
        _cmd("pause", "pause RESOURCE", "Mark the provided resource as paused", PRINT_FLAGS,
             _RO_FILE("identifying the resource to get from a server."), field_manager("kubectl-rollout"), SELECTOR),
        _cmd("restart", "restart RESOURCE", "Restart a resource", PRINT_FLAGS,
             _RO_FILE("identifying the resource to get from a server."), field_manager("kubectl-rollout"), SELECTOR),
        _cmd("resume", "resume RESOURCE", "Resume a paused resource", PRINT_FLAGS,
             _RO_FILE("identifying the resource to get from a server."), field_manager("kubectl-rollout"), SELECTOR),
        _cmd("status", "status (TYPE NAME | TYPE/NAME) [flags]", "Show the status of the rollout",
             _RO_FILE("identifying the resource to get from a server."),
             (
                 i("revision", 0, type="int64", usage="Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
                 d("timeout", usage="The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
                 b("watch", True, short="w", usage="Watch the status of the rollout until it's done."),
             ), SELECTOR),
        _cmd("undo", "undo (TYPE NAME | TYPE/NAME) [flags]", "Undo a previous rollout", PRINT_FLAGS,
             _RO_FILE("identifying the resource to get from a server."), DRY_RUN,
             (i("to-revision", 0, type="int64", usage="The revision to rollback to. Default to 0 (last revision)."),), SELECTOR),
    ),
)

LOGS = _cmd(
    "logs", "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]", "Print the logs for a container in a pod",
    (
        b("all-containers", usage="Get all containers' logs in the pod(s)."),
        b("all-pods", usage="Get logs from all pod(s). Sets prefix to true."),
        s("container", short="c", usage="Print the logs of this container"),
        b("follow", short="f", usage="Specify if the logs should be streamed."),
        b("ignore-errors", usage="If watching / following pod logs, allow for any errors that occur to be non-fatal"),
        b("insecure-skip-tls-verify-backend", usage="Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired."),
        i("limit-bytes", 0, type="int64", usage="Maximum bytes of logs to return. Defaults to no limit."),
        i("max-log-requests", 5, usage="Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5."),
        d("pod-running-timeout", "20s", usage="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
        b("prefix", usage="Prefix each log line with the log source (pod name and container name)"),
        b("previous", short="p", usage="If true, print the logs for the previous instance of the container in a pod if it exists."),
        d("since", usage="Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used."),
        s("since-time", usage="Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used."),
        i("tail", -1, type="int64", usage="Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."),
        b("timestamps", usage="Include timestamps on each line in the log output"),
    ),
    SELECTOR,
)

EXPLAIN = _cmd(
    "explain", "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]",
    "Get documentation for a resource",
    (
        s("api-version", usage="Use given api-version (group/version) of the resource."),
        s("output", "plaintext", short="o", usage="Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2)."),
        b("recursive", usage="When true, print the name of all the fields recursively. Otherwise, print the available fields with their description."),
    ),
)

API_RESOURCES = _cmd(
    "api-resources", "api-resources", "Print the supported API resources on the server",
    (
        s("api-group", usage="Limit to resources in the specified API group."),
        ss("categories", usage="Limit to resources that belong to the specified categories."),
        b("cached", usage="Use the cached list of resources if available."),
        b("namespaced", True, usage="If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default."),
        b("no-headers", usage="When using the default or custom-column output format, don't print headers (default print headers)."),
        s("output", short="o", usage="Output format. One of: (json, yaml, name, wide)."),
        s("sort-by", usage="If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."),
        ss("verbs", usage="Limit to resources that support the specified verbs."),
    ),
    disable_flags_in_use_line=False,
)
API_VERSIONS = _cmd("api-versions", "api-versions", "Print the supported API versions on the server, in the form of \"group/version\"",
                    disable_flags_in_use_line=False)
VERSION = _cmd(
    "version", "version", "Print the client and server version information",
    (
        b("client", usage="If true, shows client version only (no server required)."),
        s("output", short="o", usage="One of 'yaml' or 'json'."),
    ),
    disable_flags_in_use_line=False,
)
CLUSTER_INFO = _cmd("cluster-info", "cluster-info", "Display cluster information",
                    subcommands=(Command("dump", "dump", "Dump relevant information for debugging and diagnosis", supported=False),),
                    disable_flags_in_use_line=False)
CONFIG = Command(
    "config", "config SUBCOMMAND", "Modify kubeconfig files", group=True,
    persistent_flags=(s("kubeconfig", usage="use a particular kubeconfig file"),),
    subcommands=(
        _cmd("current-context", "current-context", "Display the current-context", disable_flags_in_use_line=False),
        _cmd("view", "view", "Display merged kubeconfig settings or a specified kubeconfig file",
             PRINT_FLAGS[:1],
             (
                 b("flatten", usage="Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)"),
                 b("merge", True, usage="Merge the full hierarchy of kubeconfig files"),
                 b("minify", usage="Remove all information not used by current-context from the output"),
                 s("output", "yaml", short="o", usage="Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)."),
                 b("raw", usage="Display raw byte data and sensitive data"),
             ), PRINT_FLAGS[2:], disable_flags_in_use_line=False),
        # pkg/cmd/config/get_contexts.go, get_clusters.go, get_users.go, use_context.go
        _cmd("get-contexts", "get-contexts [(-o|--output=)name)]", "Describe one or many contexts",
             (b("no-headers", usage="When using the default or custom-column output format, don't print headers (default print headers)."),
              s("output", short="o", usage="Output format. One of: (name).")), disable_flags_in_use_line=False),
        _cmd("get-clusters", "get-clusters", "Display clusters defined in the kubeconfig", disable_flags_in_use_line=False),
        _cmd("get-users", "get-users", "Display users defined in the kubeconfig", disable_flags_in_use_line=False),
        _cmd("use-context", "use-context CONTEXT_NAME", "Set the current-context in a kubeconfig file", aliases=("use",),
             disable_flags_in_use_line=False),
    ) + tuple(Command(n, n, short, supported=False) for n, short in (
        ("delete-cluster", "Delete the specified cluster from the kubeconfig"),
        ("delete-context", "Delete the specified context from the kubeconfig"),
        ("delete-user", "Delete the specified user from the kubeconfig"),
        ("rename-context", "Rename a context from the kubeconfig file"),
        ("set", "Set an individual value in a kubeconfig file"),
        ("set-cluster", "Set a cluster entry in kubeconfig"),
        ("set-context", "Set a context entry in kubeconfig"),
        ("set-credentials", "Set a user entry in kubeconfig"),
        ("unset", "Unset an individual value in a kubeconfig file"),
    )),
)


# --- wait (pkg/cmd/wait/wait.go NewCmdWait: PrintFlags("condition met"), ResourceBuilderFlags) ---------
WAIT = _cmd(
    "wait",
    "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
    "[--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
    "Experimental: Wait for a specific condition on one or many resources",
    PRINT_FLAGS,
    (
        b("all", usage="Select all resources in the namespace of the specified resource types"),
        b("all-namespaces", short="A", usage="If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        s("field-selector", usage="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        ss("filename", "f", "identifying the resource."),
        s("for", usage="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity."),
        b("local", usage="If true, annotation will NOT contact api-server but run locally."),
        b("recursive", True, short="R", usage="Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory."),
        s("selector", short="l", usage="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)"),
        d("timeout", "30s", usage="The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week."),
    ),
    suggest_for=("list", "ps"),
)


def _unsupported(name: str, short: str, **kw) -> Command:
    return Command(name, name, short, supported=False, **kw)


# Root command groups in kubectl's order (pkg/cmd/cmd.go NewKubectlCommand). Order matters: cobra's
# "Did you mean this?" suggestions walk commands in insertion order.
COMMAND_GROUPS: tuple[tuple[str, tuple[Command, ...]], ...] = (
    ("Basic Commands (Beginner):", (CREATE, EXPOSE, RUN, SET)),
    ("Basic Commands (Intermediate):", (EXPLAIN, GET, EDIT, DELETE)),
    ("Deploy Commands:", (ROLLOUT, SCALE, _unsupported("autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller"))),
    ("Cluster Management Commands:", (
        _unsupported("certificate", "Modify certificate resources"), CLUSTER_INFO,
        _unsupported("top", "Display resource (CPU/memory) usage"), _unsupported("cordon", "Mark node as unschedulable"),
        _unsupported("uncordon", "Mark node as schedulable"), _unsupported("drain", "Drain node in preparation for maintenance"),
        _unsupported("taint", "Update the taints on one or more nodes"))),
    ("Troubleshooting and Debugging Commands:", (
        DESCRIBE, LOGS, _unsupported("attach", "Attach to a running container"),
        _unsupported("exec", "Execute a command in a container"), _unsupported("port-forward", "Forward one or more local ports to a pod"),
        _unsupported("proxy", "Run a proxy to the Kubernetes API server"), _unsupported("cp", "Copy files and directories to and from containers"),
        _unsupported("auth", "Inspect authorization"), _unsupported("debug", "Create debugging sessions for troubleshooting workloads and nodes"),
        _unsupported("events", "List events"))),
    ("Advanced Commands:", (
        _unsupported("diff", "Diff the live version against a would-be applied version"), APPLY, PATCH, REPLACE,
        WAIT,
        _unsupported("kustomize", "Build a kustomization target from a directory or URL"))),
    ("Settings Commands:", (LABEL, ANNOTATE, _unsupported("completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)"))),
)
OTHER_COMMANDS: tuple[Command, ...] = (
    CONFIG, _unsupported("plugin", "Provides utilities for interacting with plugins"), VERSION, API_VERSIONS, API_RESOURCES,
    Command("options", "options", "Print the list of flags inherited by all commands", hidden=True),
)

ROOT = Command(
    "kubectl", "kubectl", "kubectl controls the Kubernetes cluster manager",
    subcommands=tuple(c for _, cmds in COMMAND_GROUPS for c in cmds) + OTHER_COMMANDS,
    persistent_flags=GLOBAL_FLAGS, disable_flags_in_use_line=False,
)

# Commands removed from kubectl: nothing special happens any more, they take cobra's unknown-command
# path (e.g. `rolling-update`, removed in v1.18 -> `error: unknown command "rolling-update" for "kubectl"`).
REMOVED_COMMANDS = ("rolling-update", "convert", "stop", "resize")


@functools.lru_cache(maxsize=512)
def lookup(path: tuple[str, ...]) -> Command | None:
    """The command at `path` (canonical names; () is the root). Cached: the tree is fixed, and a
    command looks its path up several times (parse, Invocation.command, help)."""
    cmd = ROOT
    for name in path:
        nxt = cmd.sub(name)
        if nxt is None:
            return None
        cmd = nxt
    return cmd


def chain(path: tuple[str, ...]) -> list[Command]:
    """Root .. the command at `path`."""
    out = [ROOT]
    for name in path:
        out.append(out[-1].sub(name))
    return out
