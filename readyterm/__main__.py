from readyterm.cli import main

raise SystemExit(main())
