"""MotCua: the electronic one-stop system for Vietnamese administrative procedures."""
