# datafleet.hadoop: the sandbox and the tests.
#   make sandbox          three systemd containers running HDFS, YARN and Spark
#   make sandbox-destroy  remove them
#   make sandbox-ha       five containers running HDFS and YARN with high availability
#   make sandbox-ha-destroy  remove them
#   make test             unit tests, static checks and the molecule scenarios
SHELL := /bin/bash
# The virtual environment is made from the distribution's Python when it has
# venv (Debian's is built with profile-guided optimisation and runs Ansible's
# controller about a fifth faster than a plain source build such as pyenv's),
# else from the python3 on PATH. PYTHON=... chooses another.
PYTHON ?= $(shell /usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
COLLECTION_LINK := .cache/collections/ansible_collections/datafleet/hadoop

.PHONY: venv docker image sandbox sandbox-destroy sandbox-ha sandbox-ha-destroy test unit lint sanity awx molecule benchmark

venv: $(VENV)/.installed $(COLLECTION_LINK)

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

docker:
	tools/ensure-docker

image: docker
	tools/build-node-image

sandbox: venv image
	ansible-playbook tools/sandbox/containers.yml
	ansible-playbook -i inventories/sandbox site.yml
	ansible-playbook -i inventories/sandbox playbooks/service_check.yml
	@echo
	@echo "Sandbox ready. Web UIs:"
	@echo "  HDFS NameNode           http://127.0.0.1:9870"
	@echo "  YARN ResourceManager    http://127.0.0.1:8088"
	@echo "  MapReduce history       http://127.0.0.1:19888"
	@echo "  Spark history           http://127.0.0.1:18080"
	@echo "Remove it with: make sandbox-destroy"

sandbox-destroy: venv
	ansible-playbook tools/sandbox/containers_absent.yml

sandbox-ha: venv image
	ansible-playbook tools/sandbox/containers.yml -e @tools/sandbox/ha.yml
	ansible-playbook -i inventories/sandbox-ha site.yml
	ansible-playbook -i inventories/sandbox-ha playbooks/service_check.yml
	@echo
	@echo "HA sandbox ready (docs/ha.md). Web UIs:"
	@echo "  HDFS NameNodes          http://127.0.0.1:9870  http://127.0.0.1:9871"
	@echo "  YARN ResourceManagers   http://127.0.0.1:8088  http://127.0.0.1:8089"
	@echo "  MapReduce history       http://127.0.0.1:19888"
	@echo "  Spark history           http://127.0.0.1:18080"
	@echo "Remove it with: make sandbox-ha-destroy"

sandbox-ha-destroy: venv
	ansible-playbook tools/sandbox/containers_absent.yml -e @tools/sandbox/ha.yml

# ansible-test sanity (mostly installing its requirements) runs beside the
# molecule scenarios, each target's output printed whole when it ends.
test: unit lint awx
	$(MAKE) --no-print-directory -j2 --output-sync=target sanity molecule

unit: venv
	pytest -q tests/unit

lint: venv
	$(BIN)/python tools/check_argument_specs.py roles
	ansible-lint

sanity: venv
	tools/run-sanity

# The checkout as AWX prepares a project (tests/awx).
awx: venv
	pytest -q tests/awx

# The scenarios run in two lanes side by side (tools/run-molecule).
molecule: venv image
	tools/run-molecule

benchmark: venv image
	$(BIN)/python tools/benchmark.py --output docs/benchmarks.md
